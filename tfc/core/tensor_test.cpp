// Tensor creation, conversion, sharing and the errors users can trigger.
#include "tfc/core/tensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tfc/core/error.h"

namespace tfc {
namespace {

const DType kAll[] = {DType::float32, DType::float64, DType::int32,
                      DType::int64,   DType::uint8,   DType::bool_};

TEST(Tensor, CreationInEveryDtype) {
    for (DType dt : kAll) {
        Tensor z = Tensor::zeros({2, 3}, dt);
        EXPECT_EQ(z.shape(), (Shape{2, 3}));
        EXPECT_EQ(z.dtype(), dt);
        EXPECT_EQ(z.nbytes(), 6 * dtype_size(dt));
        EXPECT_EQ(z.to_doubles(), std::vector<double>(6, 0.0));
        EXPECT_EQ(Tensor::ones({4}, dt).to_doubles(), std::vector<double>(4, 1.0));
        EXPECT_EQ(Tensor::full({2}, 3.0, dt).to_doubles(),
                  std::vector<double>(2, dt == DType::bool_ ? 1.0 : 3.0));
        EXPECT_EQ(Tensor::scalar(1.0, dt).rank(), 0);
        EXPECT_EQ(Tensor::scalar(1.0, dt).item(), 1.0);
        EXPECT_EQ(dtype_from_name(dtype_name(dt)), dt);
    }
    EXPECT_EQ(Tensor::zeros({0, 5}).size(), 0);
    EXPECT_THROW(dtype_from_name("float16"), Error);
}

TEST(Tensor, AstypeBetweenAllDtypes) {
    const std::vector<double> vals{0, 1, 2, 7, 100};
    for (DType from : kAll) {
        Tensor src = Tensor::from_doubles(vals, {5}, from);
        for (DType to : kAll) {
            Tensor dst = src.astype(to);
            EXPECT_EQ(dst.dtype(), to);
            const auto got = dst.to_doubles();
            for (std::size_t i = 0; i < vals.size(); ++i) {
                // bool squashes non-zero to 1 on the way in or out.
                const bool via_bool = from == DType::bool_ || to == DType::bool_;
                EXPECT_EQ(got[i], via_bool ? (vals[i] != 0 ? 1.0 : 0.0) : vals[i])
                    << dtype_name(from) << " -> " << dtype_name(to);
            }
        }
    }
    Tensor f = Tensor::from_vector(std::vector<float>{-1.7f, 2.9f, 0.5f}, {3});
    EXPECT_EQ(f.astype(DType::int32).to_doubles(), (std::vector<double>{-1, 2, 0}));  // truncation
    EXPECT_EQ(f.astype(DType::bool_).to_doubles(), (std::vector<double>{1, 1, 1}));
}

TEST(Tensor, AstypeOutOfRangeSaturatesInsteadOfUndefinedBehaviour) {
    Tensor f = Tensor::from_doubles({1e20, -1e20, NAN, -3, 300}, {5}, DType::float64);
    EXPECT_EQ(f.astype(DType::int32).to_doubles(),
              (std::vector<double>{2147483647.0, -2147483648.0, 0, -3, 300}));
    EXPECT_EQ(f.astype(DType::uint8).to_doubles(), (std::vector<double>{255, 0, 0, 0, 255}));
}

TEST(Tensor, ReshapedSharesCloneCopies) {
    Tensor t = Tensor::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3});
    Tensor r = t.reshaped({3, 2});
    Tensor c = t.clone();
    t.data<float>()[0] = 42;
    EXPECT_EQ(r.at(0), 42);
    EXPECT_EQ(c.at(0), 1);
    EXPECT_NE(r.id(), t.id());
    EXPECT_FALSE(r.same_as(t));
    EXPECT_THROW(t.reshaped({4, 2}), Error);
    EXPECT_THROW(t.reshaped({-1, -6}), Error);  // product matches, dims do not
    Tensor d = Tensor::zeros({2, 3});
    d.copy_from(t);
    EXPECT_EQ(d.to_doubles(), t.to_doubles());
    d.copy_from(d);  // self copy is a no-op
    EXPECT_THROW(d.copy_from(Tensor::zeros({3, 2})), Error);
    EXPECT_THROW(d.copy_from(Tensor::zeros({2, 3}, DType::float64)), Error);
    EXPECT_THROW(d.copy_from(Tensor()), Error);
}

TEST(Tensor, FromVectorAndAccessors) {
    Tensor t = Tensor::from_vector(std::vector<std::int64_t>{5, 6, 7}, {3});
    EXPECT_EQ(t.dim(-1), 3);
    EXPECT_EQ(t.at(2), 7);
    EXPECT_EQ(t.to_floats(), (std::vector<float>{5, 6, 7}));
    EXPECT_THROW(t.data<float>(), Error);
    EXPECT_THROW(t.dim(1), Error);
    EXPECT_THROW(t.at(3), Error);
    EXPECT_THROW(Tensor::from_vector(std::vector<float>{1, 2}, {3}), Error);
    EXPECT_THROW(Tensor::zeros({2, -1}), Error);
    EXPECT_NE(t.str().find("shape=(3,), dtype=int64"), std::string::npos) << t.str();
}

TEST(Tensor, ItemErrors) {
    EXPECT_EQ(Tensor::full({1, 1}, 2.5).item(), 2.5);
    try {
        Tensor::zeros({2}).item();
        FAIL();
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_EQ(m.rfind("[Tensor::item] item() needs exactly one element. Got (2,).", 0), 0u)
            << m;
        EXPECT_NE(m.find("Fix:"), std::string::npos);
    }
    EXPECT_THROW(Tensor::zeros({0}).item(), Error);
}

TEST(Tensor, UndefinedTensorThrowsInsteadOfAborting) {
    Tensor u;
    EXPECT_FALSE(u.defined());
    EXPECT_EQ(u.id(), 0u);
    EXPECT_EQ(u.str(), "Tensor(undefined)");
    EXPECT_THROW(u.shape(), Error);
    EXPECT_THROW(u.dtype(), Error);
    EXPECT_THROW(u.item(), Error);
    EXPECT_THROW(u.clone(), Error);
    EXPECT_THROW(u.set_requires_grad(true), Error);
    EXPECT_FALSE(u.requires_grad());
}

TEST(Tensor, KerasLogitsAndRequiresGrad) {
    Tensor logits = Tensor::zeros({2});
    Tensor probs = Tensor::zeros({2});
    probs.set_keras_logits(logits, "softmax");
    EXPECT_TRUE(probs.keras_logits("softmax").same_as(logits));
    EXPECT_FALSE(probs.keras_logits("sigmoid").defined());
    EXPECT_FALSE(probs.reshaped({2}).keras_logits("softmax").defined());
    probs.set_requires_grad(true);
    EXPECT_TRUE(probs.requires_grad());
    EXPECT_FALSE(probs.reshaped({1, 2}).requires_grad());
}

}  // namespace
}  // namespace tfc
