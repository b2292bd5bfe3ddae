#include "tfc/core/tensor.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <sstream>

#include "tfc/core/allocator.h"
#include "tfc/core/error.h"
#include "tfc/core/tensor_impl.h"

namespace tfc {
namespace {

std::atomic<std::uint64_t> g_next_id{1};

template <typename Fn>
void visit_dtype(DType dtype, Fn&& fn) {
    switch (dtype) {
        case DType::float32: fn(float{}); break;
        case DType::float64: fn(double{}); break;
        case DType::int32: fn(std::int32_t{}); break;
        case DType::int64: fn(std::int64_t{}); break;
        case DType::uint8: fn(std::uint8_t{}); break;
        case DType::bool_: fn(bool{}); break;
    }
}

// Value conversion for astype. Floating -> integer saturates to the target's range and maps NaN
// to 0: a plain static_cast is undefined behaviour for out-of-range values.
template <typename D, typename S>
D convert_value(S v) {
    if constexpr (std::is_floating_point_v<S> && std::is_integral_v<D>) {
        if (std::isnan(v)) return D{0};
        constexpr double lo = static_cast<double>(std::numeric_limits<D>::min());
        constexpr double hi = static_cast<double>(std::numeric_limits<D>::max());
        const double d = static_cast<double>(v);
        if (d <= lo) return std::numeric_limits<D>::min();
        if (d >= hi) return std::numeric_limits<D>::max();
        return static_cast<D>(d);
    } else {
        return static_cast<D>(v);
    }
}

void check_shape(const Shape& shape, const char* where) {
    for (auto d : shape) {
        TFC_CHECK(d >= 0, where, "negative or unknown dimension in a concrete tensor shape",
                  shape_str(shape), "non-negative dimensions",
                  "replace None/-1 with the actual size");
    }
}

}  // namespace

Storage::Storage(std::size_t nbytes) : ptr(buffer_allocate(nbytes)), bytes(nbytes) {}
Storage::~Storage() { buffer_release(ptr, bytes); }

Tensor Tensor::empty(const Shape& shape, DType dtype) {
    check_shape(shape, "Tensor");
    auto impl = std::make_shared<TensorImpl>();
    impl->shape = shape;
    impl->dtype = dtype;
    impl->storage = std::make_shared<Storage>(num_elements(shape) * dtype_size(dtype));
    impl->id = g_next_id.fetch_add(1, std::memory_order_relaxed);
    Tensor t;
    t.impl_ = std::move(impl);
    return t;
}

Tensor Tensor::zeros(const Shape& shape, DType dtype) {
    Tensor t = empty(shape, dtype);
    std::memset(t.raw_data(), 0, t.nbytes());
    return t;
}

Tensor Tensor::ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }

Tensor Tensor::full(const Shape& shape, double value, DType dtype) {
    Tensor t = empty(shape, dtype);
    t.fill(value);
    return t;
}

Tensor Tensor::scalar(double value, DType dtype) { return full({}, value, dtype); }

namespace {
template <typename T>
Tensor from_typed(const std::vector<T>& values, const Shape& shape) {
    TFC_CHECK(num_elements(shape) == static_cast<std::int64_t>(values.size()),
              "Tensor::from_vector", "value count does not match the shape",
              std::to_string(values.size()) + " values for shape " + shape_str(shape),
              std::to_string(num_elements(shape)) + " values",
              "pass as many values as the shape holds");
    Tensor t = Tensor::empty(shape, dtype_of<T>());
    if (!values.empty()) std::memcpy(t.raw_data(), values.data(), values.size() * sizeof(T));
    return t;
}
}  // namespace

Tensor Tensor::from_vector(const std::vector<float>& v, const Shape& s) { return from_typed(v, s); }
Tensor Tensor::from_vector(const std::vector<double>& v, const Shape& s) { return from_typed(v, s); }
Tensor Tensor::from_vector(const std::vector<std::int32_t>& v, const Shape& s) {
    return from_typed(v, s);
}
Tensor Tensor::from_vector(const std::vector<std::int64_t>& v, const Shape& s) {
    return from_typed(v, s);
}
Tensor Tensor::from_vector(const std::vector<std::uint8_t>& v, const Shape& s) {
    return from_typed(v, s);
}

Tensor Tensor::from_doubles(const std::vector<double>& values, const Shape& shape, DType dtype) {
    Tensor d = from_typed(values, shape);
    return dtype == DType::float64 ? d : d.astype(dtype);
}

void Tensor::check_defined(const char* where) const {
    TFC_CHECK(impl_ != nullptr, where, "the tensor is undefined", "a default-constructed Tensor()",
              "a tensor with data",
              "create it with Tensor::zeros/from_vector or take the result of an op");
}

const Shape& Tensor::shape() const {
    check_defined("Tensor::shape");
    return impl_->shape;
}
int Tensor::rank() const { return static_cast<int>(shape().size()); }
std::int64_t Tensor::dim(int axis) const {
    return shape()[normalize_axis(axis, rank(), "Tensor::dim")];
}
std::int64_t Tensor::size() const { return num_elements(shape()); }
DType Tensor::dtype() const {
    check_defined("Tensor::dtype");
    return impl_->dtype;
}
std::size_t Tensor::nbytes() const { return size() * dtype_size(dtype()); }
void* Tensor::raw_data() {
    check_defined("Tensor::data");
    return impl_->storage->ptr;
}
const void* Tensor::raw_data() const {
    check_defined("Tensor::data");
    return impl_->storage->ptr;
}

void Tensor::check_dtype(DType want) const {
    check_defined("Tensor::data");
    TFC_CHECK(impl_->dtype == want, "Tensor::data", "element type mismatch",
              dtype_name(impl_->dtype), dtype_name(want),
              "convert first with astype(), or read with the matching element type");
}

Tensor Tensor::clone() const {
    Tensor t = empty(shape(), dtype());
    std::memcpy(t.raw_data(), raw_data(), nbytes());
    return t;
}

Tensor Tensor::astype(DType to) const {
    if (to == dtype()) return clone();
    Tensor out = empty(shape(), to);
    const std::int64_t n = size();
    visit_dtype(dtype(), [&](auto src_tag) {
        using S = decltype(src_tag);
        const S* src = static_cast<const S*>(raw_data());
        visit_dtype(to, [&](auto dst_tag) {
            using D = decltype(dst_tag);
            D* dst = static_cast<D*>(out.raw_data());
            for (std::int64_t i = 0; i < n; ++i) {
                if constexpr (std::is_same_v<D, bool>) {
                    dst[i] = src[i] != S{};
                } else {
                    dst[i] = convert_value<D>(src[i]);
                }
            }
        });
    });
    return out;
}

Tensor Tensor::reshaped(const Shape& new_shape) const {
    check_defined("reshape");
    check_shape(new_shape, "reshape");
    TFC_CHECK(num_elements(new_shape) == size(), "reshape", "element count changes",
              shape_str(shape()) + " -> " + shape_str(new_shape),
              "a shape with " + std::to_string(size()) + " elements",
              "choose a target shape whose dimensions multiply to the same count");
    auto impl = std::make_shared<TensorImpl>(*impl_);
    impl->shape = new_shape;
    impl->requires_grad = false;
    impl->tape_marks.clear();
    impl->keras_logits.reset();
    impl->keras_mask.reset();
    impl->id = g_next_id.fetch_add(1, std::memory_order_relaxed);
    Tensor t;
    t.impl_ = std::move(impl);
    return t;
}

void Tensor::copy_from(const Tensor& src) {
    check_defined("Tensor::copy_from");
    src.check_defined("Tensor::copy_from");
    TFC_CHECK(src.shape() == shape() && src.dtype() == dtype(), "Tensor::copy_from",
              "source does not match", shape_str(src.shape()) + " " + dtype_name(src.dtype()),
              shape_str(shape()) + " " + dtype_name(dtype()),
              "copy from a tensor of the same shape and dtype");
    if (raw_data() != src.raw_data()) std::memcpy(raw_data(), src.raw_data(), nbytes());
}

void Tensor::fill(double value) {
    const std::int64_t n = size();
    visit_dtype(dtype(), [&](auto tag) {
        using T = decltype(tag);
        T* p = static_cast<T*>(raw_data());
        T v{};
        if constexpr (std::is_same_v<T, bool>) {
            v = value != 0.0;
        } else {
            v = convert_value<T>(value);
        }
        for (std::int64_t i = 0; i < n; ++i) p[i] = v;
    });
}

std::vector<double> Tensor::to_doubles() const {
    std::vector<double> out(size());
    visit_dtype(dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = static_cast<const T*>(raw_data());
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(p[i]);
    });
    return out;
}

std::vector<float> Tensor::to_floats() const {
    if (dtype() == DType::float32) {
        const float* p = data<float>();
        return std::vector<float>(p, p + size());
    }
    auto d = to_doubles();
    return std::vector<float>(d.begin(), d.end());
}

double Tensor::item() const {
    TFC_CHECK(size() == 1, "Tensor::item", "item() needs exactly one element",
              shape_str(shape()), "a one-element tensor", "reduce the tensor first, e.g. mean()");
    return at(0);
}

double Tensor::at(std::int64_t i) const {
    TFC_CHECK(i >= 0 && i < size(), "Tensor::at", "index out of range", std::to_string(i),
              "an index in [0, " + std::to_string(size()) + ")", "use a valid flat index");
    double v = 0;
    visit_dtype(dtype(), [&](auto tag) {
        using T = decltype(tag);
        v = static_cast<double>(static_cast<const T*>(raw_data())[i]);
    });
    return v;
}

std::string Tensor::str(int max_elements) const {
    if (!defined()) return "Tensor(undefined)";
    std::ostringstream os;
    os << "Tensor(shape=" << shape_str(shape()) << ", dtype=" << dtype_name(dtype()) << ", [";
    const std::int64_t n = std::min<std::int64_t>(size(), max_elements);
    for (std::int64_t i = 0; i < n; ++i) os << (i ? ", " : "") << at(i);
    if (size() > n) os << ", ...";
    os << "])";
    return os.str();
}

bool Tensor::requires_grad() const { return impl_ && impl_->requires_grad; }
void Tensor::set_requires_grad(bool on) {
    check_defined("Tensor::set_requires_grad");
    impl_->requires_grad = on;
}
void Tensor::set_keras_mask(const Tensor& mask) {
    check_defined("Tensor::set_keras_mask");
    impl_->keras_mask = mask.impl_;
}

Tensor Tensor::keras_mask() const {
    Tensor t;
    if (impl_) t.impl_ = impl_->keras_mask;
    return t;
}

void Tensor::set_keras_logits(const Tensor& logits, const std::string& kind) {
    check_defined("Tensor::set_keras_logits");
    logits.check_defined("Tensor::set_keras_logits");
    impl_->keras_logits = logits.impl_;
    impl_->keras_logits_kind = kind;
}

Tensor Tensor::keras_logits(const std::string& kind) const {
    Tensor t;
    if (impl_ && impl_->keras_logits && impl_->keras_logits_kind == kind) t.impl_ = impl_->keras_logits;
    return t;
}

std::uint64_t Tensor::id() const { return impl_ ? impl_->id : 0; }

}  // namespace tfc
