// RepeatVector (keras/layers/reshaping/repeat_vector.py of Keras 2.15): (batch, features) ->
// (batch, n, features), the input repeated n times. The usual bridge from an encoder's vector
// to a decoder's sequence.
//   RepeatVector(30)
#pragma once

#include <cstdint>
#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct RepeatVectorOptions {
    Shape input_shape{};
    std::string name{};  // default "repeat_vector", "repeat_vector_1", ...
};

class RepeatVector : public Layer {
public:
    explicit RepeatVector(std::int64_t n, RepeatVectorOptions options = {});

    std::string class_name() const override { return "RepeatVector"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;

    std::int64_t n() const { return n_; }

private:
    std::int64_t n_;
};

}  // namespace tfc
