// Config codecs of the merge layers Add, Multiply, Average and Concatenate (Keras 2.15
// keras/layers/merging/*.py get_config: the element-wise merges have no keys of their own,
// Concatenate has `axis`).
#include "tfc/core/error.h"
#include "tfc/io/layer_registry.h"
#include "tfc/layers/merge.h"

namespace tfc::io {
namespace {

template <typename L>
LayerCodec elementwise(const char* class_name) {
    return {class_name,
            [](const LayerConfig& c) -> LayerPtr { return std::make_shared<L>(MergeOptions{.name = c.name()}); },
            [](const Layer&, ConfigWriter&) {}};
}

LayerPtr concatenate_from_config(const LayerConfig& c) {
    const std::int64_t axis = c.get_int("axis", -1);
    if (axis < -16 || axis > 16) c.fail_key("axis", "is out of range", std::to_string(axis), "|axis| <= 16");
    return std::make_shared<Concatenate>(ConcatenateOptions{.axis = static_cast<int>(axis), .name = c.name()});
}

void concatenate_to_config(const Layer& layer, ConfigWriter& out) {
    const auto* p = dynamic_cast<const Concatenate*>(&layer);
    TFC_ASSERT(p != nullptr);
    out.set("axis", p->axis());
}

}  // namespace

void register_merge_layers(LayerRegistry& r) {
    r.add(elementwise<Add>("Add"));
    r.add(elementwise<Multiply>("Multiply"));
    r.add(elementwise<Average>("Average"));
    r.add({"Concatenate", concatenate_from_config, concatenate_to_config});
}

}  // namespace tfc::io
