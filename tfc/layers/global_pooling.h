// GlobalAveragePooling1D/2D and GlobalMaxPooling1D/2D (keras/layers/pooling/global_*.py of
// Keras 2.15), channels_last: mean / max over the steps (1-D) or rows and cols (2-D).
// keepdims keeps the reduced axes as size 1. GlobalAveragePooling1D supports masking: with a
// mask [batch, steps] on its input it averages the unmasked steps only, sum(x m) / sum(m), and
// passes no mask on. The other three refuse a mask, as in Keras.
#pragma once

#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct GlobalPoolingOptions {
    bool keepdims = false;
    std::string data_format = "channels_last";
    Shape input_shape{};
    std::string name{};  // default per class, e.g. "global_average_pooling1d"
};

// Shared shape logic: `rank` is 3 for the 1-D layers and 4 for the 2-D ones.
class GlobalPooling : public Layer {
public:
    void build(const Shape& input_shape) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    const GlobalPoolingOptions& options() const { return options_; }

protected:
    GlobalPooling(const std::string& default_name, int rank, GlobalPoolingOptions options);
    Tensor prepare(const Tensor& inputs) const;  // rank check and cast to float
    int rank_;
    GlobalPoolingOptions options_;
};

class GlobalAveragePooling1D : public GlobalPooling {
public:
    explicit GlobalAveragePooling1D(GlobalPoolingOptions options = {});
    std::string class_name() const override { return "GlobalAveragePooling1D"; }
    Tensor call(const Tensor& inputs, bool training) override;
    bool supports_masking() const override { return true; }
    Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;
};

class GlobalAveragePooling2D : public GlobalPooling {
public:
    explicit GlobalAveragePooling2D(GlobalPoolingOptions options = {});
    std::string class_name() const override { return "GlobalAveragePooling2D"; }
    Tensor call(const Tensor& inputs, bool training) override;
};

class GlobalMaxPooling1D : public GlobalPooling {
public:
    explicit GlobalMaxPooling1D(GlobalPoolingOptions options = {});
    std::string class_name() const override { return "GlobalMaxPooling1D"; }
    Tensor call(const Tensor& inputs, bool training) override;
};

class GlobalMaxPooling2D : public GlobalPooling {
public:
    explicit GlobalMaxPooling2D(GlobalPoolingOptions options = {});
    std::string class_name() const override { return "GlobalMaxPooling2D"; }
    Tensor call(const Tensor& inputs, bool training) override;
};

}  // namespace tfc
