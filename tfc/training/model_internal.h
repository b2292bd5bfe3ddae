// Helpers shared by the files that implement Model (model.cpp, model_evaluate.cpp,
// model_dataset.cpp); not part of the public API.
#pragma once

#include <cstdint>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc::model_internal {

// Integer inputs (ids, pixels) become float32; float32 / float64 pass through.
inline Tensor as_float_input(const Tensor& x) {
    return x.dtype() == DType::float32 || x.dtype() == DType::float64 ? x
                                                                      : x.astype(DType::float32);
}

inline std::vector<std::int64_t> range_indices(std::int64_t begin, std::int64_t end) {
    std::vector<std::int64_t> r;
    r.reserve(static_cast<std::size_t>(end - begin));
    for (std::int64_t i = begin; i < end; ++i) r.push_back(i);
    return r;
}

// Running epoch means of the loss values, weighted by batch size (Keras's `_loss_metric`, one
// per output loss).
class RunningMeans {
public:
    explicit RunningMeans(std::size_t n) : total_(n, 0.0) {}
    void add(const std::vector<double>& values, double weight) {
        for (std::size_t i = 0; i < total_.size() && i < values.size(); ++i) {
            total_[i] += values[i] * weight;
        }
        count_ += weight;
    }
    std::vector<double> results() const {
        std::vector<double> r(total_.size(), 0.0);
        if (count_ > 0) {
            for (std::size_t i = 0; i < r.size(); ++i) r[i] = total_[i] / count_;
        }
        return r;
    }

private:
    std::vector<double> total_;
    double count_ = 0;
};

}  // namespace tfc::model_internal
