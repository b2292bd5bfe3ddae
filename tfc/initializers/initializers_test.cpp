// Initializers: the Keras formulas are checked statistically, with bounds tight enough that a
// wrong fan, scale or truncation correction fails; Orthogonal against an independent
// Gram-Schmidt QR of the same normal draws.
#include "tfc/initializers/initializers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/core/random.h"

namespace tfc {
namespace {

struct Stats {
    double mean = 0, stddev = 0, max_abs = 0;
};

Stats stats_of(const Tensor& t) {
    const std::vector<double> v = t.to_doubles();
    Stats s;
    for (double x : v) s.mean += x;
    s.mean /= static_cast<double>(v.size());
    double var = 0;
    for (double x : v) {
        var += (x - s.mean) * (x - s.mean);
        s.max_abs = std::max(s.max_abs, std::fabs(x));
    }
    s.stddev = std::sqrt(var / static_cast<double>(v.size()));
    return s;
}

TEST(ComputeFans, MatchKerasRules) {
    Fans f = compute_fans({784, 128});
    EXPECT_EQ(f.fan_in, 784);
    EXPECT_EQ(f.fan_out, 128);
    f = compute_fans({3, 3, 16, 32});  // Conv2D kernel: receptive field 9
    EXPECT_EQ(f.fan_in, 9 * 16);
    EXPECT_EQ(f.fan_out, 9 * 32);
    f = compute_fans({5, 8, 16});  // Conv1D kernel: receptive field 5
    EXPECT_EQ(f.fan_in, 40);
    EXPECT_EQ(f.fan_out, 80);
    f = compute_fans({7});
    EXPECT_EQ(f.fan_in, 7);
    EXPECT_EQ(f.fan_out, 7);
    f = compute_fans({});
    EXPECT_EQ(f.fan_in, 1);
    EXPECT_EQ(f.fan_out, 1);
}

TEST(GlorotUniform, LimitAndVarianceOnDenseKernel) {
    set_random_seed(1);
    Tensor w = GlorotUniform()({784, 128});
    EXPECT_EQ(w.dtype(), DType::float32);
    EXPECT_EQ(w.shape(), (Shape{784, 128}));
    const double limit = std::sqrt(6.0 / (784 + 128));
    const Stats s = stats_of(w);
    EXPECT_LE(s.max_abs, limit * (1 + 1e-6));
    EXPECT_GE(s.max_abs, 0.99 * limit);
    EXPECT_NEAR(s.stddev * s.stddev, limit * limit / 3.0, 0.03 * limit * limit / 3.0);
    EXPECT_NEAR(s.mean, 0.0, 0.01 * limit);
}

TEST(HeNormal, StddevAfterTruncationCorrection) {
    set_random_seed(2);
    Tensor w = HeNormal()({500, 400});
    const double target = std::sqrt(2.0 / 500);  // Keras: the stddev the layer should see
    const double raw = target / 0.87962566103423978;
    const Stats s = stats_of(w);
    EXPECT_NEAR(s.stddev, target, 0.015 * target);  // uncorrected would be 12% low
    EXPECT_LE(s.max_abs, 2.0 * raw * (1 + 1e-6));   // cut at 2 sigma of the raw normal
    EXPECT_GE(s.max_abs, 0.99 * 2.0 * raw);
}

TEST(VarianceScaling, PresetsUseTheirScaleAndMode) {
    set_random_seed(3);
    const Shape shape{300, 600};
    const double fan_in = 300, fan_avg = 450;
    struct Case {
        InitializerPtr init;
        double stddev;
        const char* name;
    };
    const std::vector<Case> cases = {
        {std::make_shared<GlorotNormal>(), std::sqrt(1.0 / fan_avg), "GlorotNormal"},
        {std::make_shared<HeUniform>(), std::sqrt(2.0 / fan_in), "HeUniform"},
        {std::make_shared<LecunUniform>(), std::sqrt(1.0 / fan_in), "LecunUniform"},
        {std::make_shared<LecunNormal>(), std::sqrt(1.0 / fan_in), "LecunNormal"},
        {std::make_shared<VarianceScaling>(3.0, "fan_out", "uniform"), std::sqrt(3.0 / 600),
         "VarianceScaling"},
        {std::make_shared<VarianceScaling>(0.5, "fan_avg", "untruncated_normal"),
         std::sqrt(0.5 / fan_avg), "VarianceScaling"},
    };
    for (const auto& c : cases) {
        const Stats s = stats_of((*c.init)(shape));
        EXPECT_NEAR(s.stddev, c.stddev, 0.015 * c.stddev) << c.name;
        EXPECT_EQ(c.init->class_name(), c.name);
    }
}

TEST(VarianceScaling, UntruncatedNormalHasTails) {
    set_random_seed(4);
    Tensor w = VarianceScaling(1.0, "fan_in", "untruncated_normal")({100, 1000});
    const double stddev = std::sqrt(1.0 / 100);
    // P(|z| > 2) = 4.55%, so 100k draws exceed 2 sigma thousands of times.
    int beyond = 0;
    for (double x : w.to_doubles()) beyond += std::fabs(x) > 2.0 * stddev;
    EXPECT_NEAR(beyond / 1e5, 0.0455, 0.004);
}

TEST(VarianceScaling, ConvKernelFans) {
    set_random_seed(5);
    Tensor w = HeUniform()({3, 3, 64, 32});
    const double limit = std::sqrt(6.0 / (9 * 64));
    const Stats s = stats_of(w);
    EXPECT_LE(s.max_abs, limit * (1 + 1e-6));
    EXPECT_GE(s.max_abs, 0.99 * limit);
    EXPECT_NEAR(s.stddev * s.stddev, limit * limit / 3, 0.03 * limit * limit / 3);
}

TEST(VarianceScaling, RejectsBadArguments) {
    EXPECT_THROW(VarianceScaling(0.0), Error);
    EXPECT_THROW(VarianceScaling(1.0, "fan_sum"), Error);
    EXPECT_THROW(VarianceScaling(1.0, "fan_in", "poisson"), Error);
    // "normal" is Keras's alias for "truncated_normal".
    set_random_seed(6);
    const Stats s = stats_of(VarianceScaling(1.0, "fan_in", "normal")({400, 250}));
    EXPECT_NEAR(s.stddev, std::sqrt(1.0 / 400), 0.015 * std::sqrt(1.0 / 400));
}

TEST(RandomInitializers, KerasDefaults) {
    set_random_seed(7);
    const Stats u = stats_of(RandomUniform()({200, 500}));
    EXPECT_LE(u.max_abs, 0.05 * (1 + 1e-6));
    EXPECT_GE(u.max_abs, 0.0499);
    EXPECT_NEAR(u.stddev, 0.05 / std::sqrt(3.0), 0.01 * 0.05 / std::sqrt(3.0));
    const Stats n = stats_of(RandomNormal()({200, 500}));
    EXPECT_NEAR(n.stddev, 0.05, 0.01 * 0.05);
    EXPECT_NEAR(n.mean, 0.0, 0.001);
    // tf.random.truncated_normal: stddev is NOT corrected, so the sample stddev is 0.8796 * 0.05.
    const Stats t = stats_of(TruncatedNormal()({200, 500}));
    EXPECT_NEAR(t.stddev, 0.05 * 0.87962566103423978, 0.01 * 0.05);
    EXPECT_LE(t.max_abs, 0.1 * (1 + 1e-6));
    const Stats shifted = stats_of(RandomUniform(2.0, 4.0)({10000}));
    EXPECT_NEAR(shifted.mean, 3.0, 0.05);
}

TEST(ConstantInitializers, Values) {
    EXPECT_EQ(Zeros()({2, 3}).to_doubles(), std::vector<double>(6, 0.0));
    EXPECT_EQ(Ones()({4}, DType::float64).to_doubles(), std::vector<double>(4, 1.0));
    EXPECT_EQ(Constant(2.5)({2, 2}).to_doubles(), std::vector<double>(4, 2.5));
    EXPECT_EQ(Zeros()({3}, DType::int32).dtype(), DType::int32);
    EXPECT_EQ(Identity(3.0)({2, 3}).to_doubles(), (std::vector<double>{3, 0, 0, 0, 3, 0}));
    EXPECT_THROW(Identity()({2, 2, 2}), Error);
}

TEST(RandomInitializers, DtypeHandling) {
    Tensor w = GlorotUniform(1)({4, 5}, DType::float64);
    EXPECT_EQ(w.dtype(), DType::float64);
    EXPECT_THROW(GlorotUniform()({4, 5}, DType::int32), Error);
    EXPECT_THROW(RandomNormal()({4}, DType::uint8), Error);
}

TEST(Seeds, SeededInitializersAreReproducibleAndIndependentOfTheGlobalSeed) {
    set_random_seed(10);
    Tensor a = GlorotUniform(42)({16, 8});
    set_random_seed(11);
    Tensor b = GlorotUniform(42)({16, 8});
    EXPECT_EQ(a.to_doubles(), b.to_doubles());
    EXPECT_NE(a.to_doubles(), GlorotUniform(43)({16, 8}).to_doubles());
    EXPECT_EQ(Orthogonal(1.0, 9)({6, 6}).to_doubles(), Orthogonal(1.0, 9)({6, 6}).to_doubles());
    EXPECT_EQ(TruncatedNormal(0, 1, 5)({50}).to_doubles(),
              TruncatedNormal(0, 1, 5)({50}).to_doubles());
}

TEST(Seeds, UnseededInitializersFollowTheGlobalGenerator) {
    set_random_seed(12);
    Tensor a = HeNormal()({10, 10});
    Tensor a2 = HeNormal()({10, 10});
    EXPECT_NE(a.to_doubles(), a2.to_doubles());  // the global stream advances
    set_random_seed(12);
    EXPECT_EQ(a.to_doubles(), HeNormal()({10, 10}).to_doubles());
}

// ---- Orthogonal ----

// Max |M - c I| where M = W^T W (cols) or W W^T (rows) for a row-major r x c matrix.
double gram_error(const std::vector<double>& w, std::int64_t r, std::int64_t c, bool rows,
                  double expected_diag) {
    const std::int64_t n = rows ? r : c;
    double err = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t j = 0; j < n; ++j) {
            double dot = 0;
            const std::int64_t len = rows ? c : r;
            for (std::int64_t k = 0; k < len; ++k) {
                dot += rows ? w[i * c + k] * w[j * c + k] : w[k * c + i] * w[k * c + j];
            }
            err = std::max(err, std::fabs(dot - (i == j ? expected_diag : 0.0)));
        }
    }
    return err;
}

TEST(Orthogonal, RecurrentKernelShapes) {
    set_random_seed(13);
    for (std::int64_t u : {8, 32, 64}) {
        // [u, 4u] (LSTM recurrent kernel): r < c, so the rows are orthonormal.
        Tensor w = Orthogonal()({u, 4 * u}, DType::float64);
        EXPECT_LT(gram_error(w.to_doubles(), u, 4 * u, true, 1.0), 1e-12) << u;
        // [4u, u]: the columns are orthonormal.
        Tensor t = Orthogonal()({4 * u, u}, DType::float64);
        EXPECT_LT(gram_error(t.to_doubles(), 4 * u, u, false, 1.0), 1e-12) << u;
    }
    Tensor f = Orthogonal()({32, 128});  // float32 default
    EXPECT_LT(gram_error(f.to_doubles(), 32, 128, true, 1.0), 1e-5);
}

TEST(Orthogonal, GainAndConvShape) {
    Tensor w = Orthogonal(2.0, 3)({3, 3, 4, 8}, DType::float64);  // rows 36, cols 8
    EXPECT_EQ(w.shape(), (Shape{3, 3, 4, 8}));
    EXPECT_LT(gram_error(w.to_doubles(), 36, 8, false, 4.0), 1e-12);
    Tensor sq = Orthogonal(1.0, 4)({20, 20}, DType::float64);
    EXPECT_LT(gram_error(sq.to_doubles(), 20, 20, false, 1.0), 1e-12);
    EXPECT_LT(gram_error(sq.to_doubles(), 20, 20, true, 1.0), 1e-12);
    EXPECT_THROW(Orthogonal()({5}), Error);
}

// Independent oracle: Keras takes Q of the QR of a standard normal (max, min) matrix and fixes
// the signs so that diag(R) > 0. That Q is unique, and classical Gram-Schmidt with
// re-orthogonalisation produces it directly from the same draws.
std::vector<double> gram_schmidt_q(std::vector<double> a, std::int64_t m, std::int64_t n) {
    for (std::int64_t j = 0; j < n; ++j) {
        for (int pass = 0; pass < 2; ++pass) {
            for (std::int64_t p = 0; p < j; ++p) {
                double dot = 0;
                for (std::int64_t i = 0; i < m; ++i) dot += a[i * n + p] * a[i * n + j];
                for (std::int64_t i = 0; i < m; ++i) a[i * n + j] -= dot * a[i * n + p];
            }
        }
        double norm = 0;
        for (std::int64_t i = 0; i < m; ++i) norm += a[i * n + j] * a[i * n + j];
        norm = std::sqrt(norm);
        for (std::int64_t i = 0; i < m; ++i) a[i * n + j] /= norm;
    }
    return a;
}

TEST(Orthogonal, MatchesSignCorrectedQrOfTheSameDraws) {
    for (auto [r, c] : {std::pair<std::int64_t, std::int64_t>{12, 5}, {5, 12}, {7, 7}}) {
        const std::int64_t m = std::max(r, c), n = std::min(r, c);
        Generator g(99);
        std::vector<double> a(static_cast<std::size_t>(m * n));
        for (double& x : a) x = g.normal(0.0, 1.0);
        const std::vector<double> q = gram_schmidt_q(a, m, n);
        const std::vector<double> w = Orthogonal(1.5, 99)({r, c}, DType::float64).to_doubles();
        double err = 0;
        for (std::int64_t i = 0; i < r; ++i) {
            for (std::int64_t j = 0; j < c; ++j) {
                const double want = 1.5 * (r >= c ? q[i * n + j] : q[j * n + i]);
                err = std::max(err, std::fabs(w[i * c + j] - want));
            }
        }
        EXPECT_LT(err, 1e-12) << r << "x" << c;
    }
}

// ---- lookup by name ----

TEST(GetInitializer, KerasNamesAliasesAndClassNames) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"glorot_uniform", "GlorotUniform"}, {"GlorotUniform", "GlorotUniform"},
        {"glorot_normal", "GlorotNormal"},   {"he_normal", "HeNormal"},
        {"he_uniform", "HeUniform"},         {"lecun_normal", "LecunNormal"},
        {"lecun_uniform", "LecunUniform"},   {"zeros", "Zeros"},
        {"zero", "Zeros"},                   {"ones", "Ones"},
        {"one", "Ones"},                     {"constant", "Constant"},
        {"uniform", "RandomUniform"},        {"random_uniform", "RandomUniform"},
        {"normal", "RandomNormal"},          {"random_normal", "RandomNormal"},
        {"truncated_normal", "TruncatedNormal"},
        {"orthogonal", "Orthogonal"},        {"Orthogonal", "Orthogonal"},
        {"variance_scaling", "VarianceScaling"},
        {"identity", "Identity"},
    };
    for (const auto& [name, cls] : cases) EXPECT_EQ(get_initializer(name)->class_name(), cls);
    const auto names = initializer_names();
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_NE(std::find(names.begin(), names.end(), "he_normal"), names.end());
}

TEST(GetInitializer, UnknownNameListsTheKnownOnes) {
    try {
        get_initializer("glorot_uniformm");
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("[get_initializer]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Got \"glorot_uniformm\""), std::string::npos) << msg;
        EXPECT_NE(msg.find("\"glorot_uniform\""), std::string::npos) << msg;
        EXPECT_NE(msg.find("\"orthogonal\""), std::string::npos) << msg;
        EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    }
}

TEST(InitializerRef, FromNamePointerAndValue) {
    InitializerRef by_name = "he_uniform";
    EXPECT_EQ(by_name.get()->class_name(), "HeUniform");
    InitializerRef by_value = Orthogonal(2.0);
    EXPECT_EQ((*by_value).class_name(), "Orthogonal");
    InitializerRef by_ptr = std::make_shared<Constant>(3.0);
    EXPECT_EQ((*by_ptr)({1}).item(), 3.0);
    EXPECT_THROW(InitializerRef("nope"), Error);
    EXPECT_THROW(InitializerRef{InitializerPtr{}}, Error);
}

}  // namespace
}  // namespace tfc
