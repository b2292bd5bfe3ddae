// Recurrent layers against real implementations (tests/golden/layers/rnn_*.json):
//   rnn_tfjs.json  - TF.js 4.22 (tools/golden/rnn_tfjs.js): SimpleRNN, LSTM (sigmoid, hard_sigmoid),
//                    GRU(reset_after=false), masked behind Embedding(mask_zero), Bidirectional(LSTM).
//   rnn_torch.json - torch 1.13 float64 (tools/golden/rnn_torch.py): GRU(reset_after=true) via
//                    torch.nn.GRU, masked GRU(reset_after) and masked Bidirectional(LSTM) from
//                    the Keras-2 formulas.
// Each case: load the weights, run the layer in float32, compare the output and the gradients of
// L = sum(y * R) w.r.t. the input and every weight, to 1e-4 relative.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/layers/bidirectional.h"
#include "tfc/layers/embedding.h"
#include "tfc/layers/gru.h"
#include "tfc/layers/lstm.h"
#include "tfc/layers/simple_rnn.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

using nlohmann::json;

json load(const std::string& file) {
    std::ifstream in(testing::source_dir() + "/tests/golden/layers/" + file);
    EXPECT_TRUE(in.good()) << file << " not found";
    return json::parse(in);
}

Shape shape_of(const json& j) {
    Shape s;
    for (const auto& d : j) s.push_back(d.get<std::int64_t>());
    return s;
}

std::vector<double> values(const json& j) { return j.get<std::vector<double>>(); }

std::shared_ptr<RecurrentLayer> make_rnn(const json& c) {
    const std::string kind = c["layer"];
    const std::int64_t u = c["units"];
    const bool rs = c["return_sequences"];
    if (kind == "simple_rnn") return std::make_shared<SimpleRNN>(u, SimpleRNNOptions{.return_sequences = rs});
    if (kind == "lstm") {
        LSTMOptions o{.return_sequences = rs};
        if (c.contains("recurrent_activation") && c["recurrent_activation"].is_string()) {
            o.recurrent_activation = c["recurrent_activation"];
        }
        return std::make_shared<LSTM>(u, o);
    }
    GRUOptions o{.reset_after = c["reset_after"].get<bool>(), .return_sequences = rs};
    return std::make_shared<GRU>(u, o);
}

void expect_close(const std::vector<double>& got, const std::vector<double>& want,
                  const std::string& what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_LE(std::fabs(got[i] - want[i]), 1e-4 * std::fabs(want[i]) + 2e-6)
            << what << " element " << i << ": got " << got[i] << ", want " << want[i];
    }
}

void run_case(const json& c) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const Shape in_shape = shape_of(c["input_shape"]);
    const bool masked = c["masked"];
    std::shared_ptr<Embedding> emb;
    std::shared_ptr<Layer> layer;
    if (masked) {
        const Shape es = shape_of(c["weights"][0]["shape"]);
        emb = std::make_shared<Embedding>(es[0], es[1], EmbeddingOptions{.mask_zero = true});
    }
    auto rnn = make_rnn(c);
    if (c["bidirectional"].is_string()) {
        layer = std::make_shared<Bidirectional>(
            LayerPtr(rnn), BidirectionalOptions{.merge_mode = c["bidirectional"].get<std::string>()});
    } else {
        layer = rnn;
    }
    std::vector<Tensor> ws;
    for (const auto& w : c["weights"]) {
        ws.push_back(Tensor::from_doubles(values(w["values"]), shape_of(w["shape"]), DType::float32));
    }
    std::vector<Tensor> params;
    if (masked) {
        emb->build({-1, in_shape[1]});
        emb->set_weights({ws[0]});
        ws.erase(ws.begin());
        layer->ensure_built({-1, in_shape[1], emb->output_dim()});
        for (auto& t : emb->trainable_weights()) params.push_back(t);
    } else {
        layer->ensure_built({-1, in_shape[1], in_shape[2]});
    }
    layer->set_weights(ws);
    for (auto& t : layer->trainable_weights()) params.push_back(t);

    const std::vector<double> xv = values(c["x"]);
    Tensor x;
    if (masked) {
        std::vector<std::int32_t> ids(xv.begin(), xv.end());
        x = Tensor::from_vector(ids, in_shape);
    } else {
        x = Tensor::from_doubles(xv, in_shape, DType::float32);
    }
    autograd::GradientTape tape;
    if (!masked) tape.watch(x);
    Tensor y = masked ? (*layer)((*emb)(x)) : (*layer)(x);
    EXPECT_EQ(y.shape(), shape_of(c["output_shape"]));
    expect_close(y.to_doubles(), values(c["output"]), "output");
    const Tensor r = Tensor::from_doubles(values(c["R"]), y.shape(), DType::float32);
    Tensor loss = ops::sum(ops::mul(y, r));
    std::vector<Tensor> sources = params;
    if (!masked) sources.push_back(x);
    ASSERT_EQ(params.size(), c["grad_weights"].size());
    const std::vector<Tensor> g = tape.gradient(loss, sources);
    for (std::size_t i = 0; i < params.size(); ++i) {
        expect_close(g[i].to_doubles(), values(c["grad_weights"][i]), "grad weight " + std::to_string(i));
    }
    if (!masked) expect_close(g.back().to_doubles(), values(c["grad_x"]), "grad x");
}

TEST(RnnGolden, TfjsSimpleRnnLstmGruBidirectional) {
    const json doc = load("rnn_tfjs.json");
    ASSERT_GE(doc["cases"].size(), 16u);
    for (const auto& c : doc["cases"]) run_case(c);
}

TEST(RnnGolden, TorchGruResetAfterAndMaskedBidirectional) {
    const json doc = load("rnn_torch.json");
    ASSERT_GE(doc["cases"].size(), 6u);
    for (const auto& c : doc["cases"]) run_case(c);
}

}  // namespace
}  // namespace tfc
