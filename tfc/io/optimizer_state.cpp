// Optimizer state in model files: the step count and the slot variables, in the order each Keras
// generation wrote them, so that training resumes where it stopped.
//   legacy .h5 `optimizer_weights` (names in its `weight_names` attribute):
//     Keras <= 2.3 ("iterations:0" first): Adam iterations, m x N, v x N, vhat x N (vhat is a
//       (1,)-shaped unused arrays without amsgrad); SGD iterations, momentum x N; RMSprop and Adagrad
//       only their accumulators (no step count);
//     tf.keras optimizer_v2, TF 2.0-2.10 ("<Opt>/iter:0" first): iter, then slot-major;
//     Keras 2.11-2.15 ("iteration:0" first): iteration, then Adam's m, v per variable
//       (interleaved; vhat x N after them with amsgrad), other optimizers slot-major.
//   Keras 3 `optimizer/vars/<i>`: iterations, learning_rate, then as Keras 2.11.
// Writing uses the Keras 2.15 layout in .h5 and the Keras 3 layout in .keras. A state that does
// not fit the model (another optimizer, other variables) is skipped with a warning on stderr,
// as Keras does ("your model is starting with a freshly initialized optimizer").
#include <cstdio>
#include <unordered_set>

#include "tfc/core/error.h"
#include "tfc/io/formats_impl.h"
#include "tfc/optimizers/adam.h"
#include "tfc/optimizers/sgd.h"

namespace tfc::io {
namespace {

struct Var {
    Tensor value;
    std::string name;  // "dense/kernel"
};

// The trainable variables in Model::trainable_weights() order, with Keras-style names.
std::vector<Var> trainable_vars(const Model& model) {
    std::vector<Var> out;
    std::unordered_set<std::uint64_t> seen;
    for (const auto& l : model.layers()) {
        if (!l->trainable()) continue;
        for (Weight* w : l->weights()) {
            if (w->trainable && seen.insert(w->value.id()).second) out.push_back({w->value, l->name() + "/" + w->name});
        }
    }
    return out;
}

// One saved array: a slot of variable `var`, or an unused array to skip (var = -1).
struct Entry {
    std::string slot;
    int var = -1;
};

enum class Generation { keras_old, optimizer_v2, current };

std::vector<Entry> layout(const Optimizer& opt, std::size_t n, Generation gen) {
    std::vector<Entry> out;
    const auto slots = opt.slot_names();
    const auto* adam = dynamic_cast<const Adam*>(&opt);
    auto slot_major = [&](const std::vector<std::string>& names) {
        for (const auto& s : names) {
            for (std::size_t v = 0; v < n; ++v) out.push_back({s, static_cast<int>(v)});
        }
    };
    if (gen == Generation::keras_old) {
        if (adam != nullptr) {
            slot_major({"m", "v"});
            for (std::size_t v = 0; v < n; ++v) out.push_back({"vhat", adam->amsgrad() ? static_cast<int>(v) : -1});
        } else if (dynamic_cast<const SGD*>(&opt) != nullptr) {
            for (std::size_t v = 0; v < n; ++v) out.push_back({"m", slots.empty() ? -1 : static_cast<int>(v)});
        } else {
            slot_major(slots);
        }
        return out;
    }
    if (gen == Generation::current && adam != nullptr) {
        for (std::size_t v = 0; v < n; ++v) {
            out.push_back({"m", static_cast<int>(v)});
            out.push_back({"v", static_cast<int>(v)});
        }
        if (adam->amsgrad()) slot_major({"vhat"});
        return out;
    }
    slot_major(slots);
    return out;
}

void warn_skipped(const std::string& label, const std::string& why) {
    std::fprintf(stderr,
                 "WARNING: load_model: the optimizer state in '%s' was not restored (%s); the model "
                 "starts with a freshly initialised optimizer.\n",
                 label.c_str(), why.c_str());
}

// Checks every array against the layout, then restores; nothing is changed on a mismatch.
void restore(const h5::Reader& f, h5::Node group, const std::vector<std::string>& paths, std::size_t first_slot,
             const std::string& iterations_path, Model& model, Generation gen) {
    Optimizer& opt = model.optimizer();
    const auto vars = trainable_vars(model);
    const auto entries = layout(opt, vars.size(), gen);
    if (paths.size() != first_slot + entries.size()) {
        warn_skipped(f.label(), std::to_string(paths.size()) + " arrays for " + opt.class_name() + " over " +
                                  std::to_string(vars.size()) + " variables, expected " +
                                  std::to_string(first_slot + entries.size()));
        return;
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].var < 0) continue;
        const Shape s = h5::dataset_shape(f, group, paths[first_slot + i]);
        const Shape& want = vars[static_cast<std::size_t>(entries[i].var)].value.shape();
        if (s != want) {
            warn_skipped(f.label(), "'" + paths[first_slot + i] + "' is " + shape_str(s) + ", the " +
                                      entries[i].slot + " of " + vars[static_cast<std::size_t>(entries[i].var)].name +
                                      " is " + shape_str(want));
            return;
        }
    }
    const std::int64_t iterations =
        iterations_path.empty() ? opt.iterations() : h5::read_int_scalar(f, group, iterations_path);
    std::vector<Tensor> values;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        values.push_back(entries[i].var < 0 ? Tensor() : h5::read_dataset(f, group, paths[first_slot + i]));
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].var >= 0) opt.set_slot(vars[static_cast<std::size_t>(entries[i].var)].value, entries[i].slot, values[i]);
    }
    opt.set_iterations(iterations);
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The arrays of the current layout for `model`'s optimizer (slots created as zeros if unused).
std::vector<std::pair<std::string, Tensor>> current_arrays(const Model& model, bool keras3) {
    Optimizer& opt = model.optimizer();
    const auto vars = trainable_vars(model);
    std::vector<std::pair<std::string, Tensor>> out;
    for (const Entry& e : layout(opt, vars.size(), Generation::current)) {
        const Var& v = vars[static_cast<std::size_t>(e.var)];
        Tensor s = opt.get_slot(v.value, e.slot);
        if (!s.defined()) s = Tensor::zeros(v.value.shape());
        out.emplace_back(keras3 ? e.slot : opt.class_name() + "/" + e.slot + "/" + v.name + ":0", s);
    }
    return out;
}

}  // namespace

void read_legacy_optimizer_weights(const h5::Reader& f, Model& model) {
    const h5::Node root = f.root();
    if (!model.compiled() || !h5::exists(f, root, "optimizer_weights")) return;
    const h5::Node g = h5::open_group(f, root, "optimizer_weights");
    const auto names = h5::read_string_list_attr(f, g, "weight_names");
    if (!names || names->empty()) return;
    std::string first = names->front();
    if (ends_with(first, ":0")) first.resize(first.size() - 2);  // Theano-era files have no ":0"
    const std::string& path = names->front();
    if (ends_with(first, "/iter")) {
        restore(f, g, *names, 1, path, model, Generation::optimizer_v2);
    } else if (first == "iteration" || ends_with(first, "/iteration")) {
        restore(f, g, *names, 1, path, model, Generation::current);
    } else if (ends_with(first, "iterations")) {
        restore(f, g, *names, 1, path, model, Generation::keras_old);
    } else if (first.find("/Variable") != std::string::npos) {
        // Keras <= 2.3 RMSprop / Adagrad kept only their accumulators (no step count).
        restore(f, g, *names, 0, "", model, Generation::keras_old);
    } else {
        warn_skipped(f.label(), "unknown layout starting with '" + path + "'");
    }
}

void write_legacy_optimizer_weights(hid_t root, const Model& model) {
    if (!model.compiled() || model.optimizer().iterations() == 0) return;
    const auto arrays = current_arrays(model, false);
    h5::Handle g = h5::create_group(root, "optimizer_weights");
    std::vector<std::string> names{"iteration:0"};
    h5::write_int_scalar(g.get(), "iteration:0", model.optimizer().iterations());
    for (const auto& [name, value] : arrays) {
        names.push_back(name);
        const std::size_t slash = name.rfind('/');
        h5::Handle parent = h5::create_groups(g.get(), name.substr(0, slash));
        h5::write_dataset(parent.get(), name.substr(slash + 1), value);
    }
    h5::write_string_list_attr(g.get(), "weight_names", names);
}

void read_keras3_optimizer_vars(const h5::Reader& f, Model& model) {
    const h5::Node root = f.root();
    if (!model.compiled() || !h5::exists(f, root, "optimizer/vars")) return;
    const h5::Node g = h5::open_group(f, root, "optimizer/vars");
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < (1u << 20) && h5::exists(f, g, std::to_string(i)); ++i) {
        paths.push_back(std::to_string(i));
    }
    if (paths.size() < 2) return;  // no step taken yet, or only the counters
    restore(f, g, paths, 2, "0", model, Generation::current);
}

void write_keras3_optimizer_vars(hid_t root, const Model& model) {
    if (!model.compiled()) return;
    h5::Handle opt = h5::create_group(root, "optimizer");
    h5::Handle vars = h5::create_group(opt.get(), "vars");
    h5::write_int_scalar(vars.get(), "0", model.optimizer().iterations());
    h5::write_dataset(vars.get(), "1", Tensor::full({}, model.optimizer().learning_rate(), DType::float32));
    if (model.optimizer().iterations() == 0) return;  // Keras 3 builds slots on the first step
    int i = 2;
    for (const auto& [slot, value] : current_arrays(model, true)) h5::write_dataset(vars.get(), std::to_string(i++), value);
}

}  // namespace tfc::io
