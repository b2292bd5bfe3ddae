// evaluate / predict on arrays, and the layer accessors with their defaults for subclassed models
// (keras/engine/training.py of Keras 2.15).
#include <algorithm>
#include <map>

#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/ops/ops.h"
#include "tfc/training/model.h"
#include "tfc/training/model_internal.h"
#include "tfc/training/progbar.h"

namespace tfc {

using model_internal::as_float_input;
using model_internal::range_indices;
using model_internal::RunningMeans;

Logs Model::run_test(const std::vector<Tensor>& xs_in, const std::vector<Tensor>& ys,
                     const Tensor& sample_weight, std::int64_t batch_size, int verbose,
                     const std::vector<CallbackPtr>& callbacks) {
    std::vector<Tensor> xs;
    for (const auto& x : xs_in) xs.push_back(as_float_input(x));
    TFC_CHECK(batch_size > 0, "evaluate", "batch_size must be positive", std::to_string(batch_size),
              "batch_size >= 1", "pass e.g. .batch_size = 32");
    const std::int64_t n = ys[0].dim(0);
    const std::int64_t steps = (n + batch_size - 1) / batch_size;
    autograd::NoGradGuard ng;
    Logs logs;
    for (const auto& c : callbacks) {
        c->set_model(this);
        c->on_test_begin(logs);
    }
    Progbar bar(steps, verbose);
    RunningMeans loss_means(1 + (losses_.size() > 1 ? losses_.size() : 0));
    // Validation uses the same metric objects; their training state is already in the logs.
    for (auto& m : metrics_) m->reset_state();
    auto rows = [](const std::vector<Tensor>& ts, const std::vector<std::int64_t>& idx) {
        std::vector<Tensor> out;
        for (const auto& t : ts) out.push_back(ops::take_rows(t, idx));
        return out;
    };
    for (std::int64_t step = 0; step < steps; ++step) {
        Logs bl;
        for (const auto& c : callbacks) c->on_test_batch_begin(step, bl);
        const std::int64_t lo = step * batch_size, hi = std::min(n, lo + batch_size);
        const auto idx = range_indices(lo, hi);
        const std::vector<Tensor> xb = rows(xs, idx), yb = rows(ys, idx);
        Tensor swb = sample_weight.defined()
                         ? ops::take_rows(sample_weight.reshaped({sample_weight.size()}), idx)
                         : Tensor();
        const std::vector<Tensor> preds = call_outputs(xb, false);
        std::vector<double> per_output;
        const Tensor loss = compiled_loss(yb, preds, swb, &per_output);
        resolve_metrics(yb, preds);
        std::vector<double> values{loss.item()};
        if (losses_.size() > 1) values.insert(values.end(), per_output.begin(), per_output.end());
        loss_means.add(values, static_cast<double>(hi - lo));
        log_batch(yb, preds, loss_means.results(), logs);
        for (const auto& c : callbacks) c->on_test_batch_end(step, logs);
        bar.update(step + 1, logs.items(), step + 1 == steps);
    }
    for (const auto& c : callbacks) c->on_test_end(logs);
    return logs;
}

std::vector<double> Model::evaluate(const Tensor& x, const Tensor& y, const EvaluateOptions& opt) {
    return evaluate(std::vector<Tensor>{x}, std::vector<Tensor>{y}, opt);
}

std::vector<double> Model::evaluate(const std::vector<Tensor>& xs, const Tensor& y,
                                    const EvaluateOptions& opt) {
    return evaluate(xs, std::vector<Tensor>{y}, opt);
}

std::vector<double> Model::evaluate(const std::vector<Tensor>& xs, const std::vector<Tensor>& ys,
                                    const EvaluateOptions& opt) {
    check_compiled("evaluate");
    check_xy(xs, ys, "evaluate");
    std::vector<Tensor> fx;
    for (const auto& x : xs) fx.push_back(as_float_input(x));
    ensure_built(fx);
    Logs logs = run_test(fx, ys, opt.sample_weight, opt.batch_size, opt.verbose, opt.callbacks);
    std::vector<double> out;
    for (const auto& [k, v] : logs.items()) out.push_back(v);
    return out;
}

std::map<std::string, double> Model::evaluate_dict(const Tensor& x, const Tensor& y,
                                                   const EvaluateOptions& opt) {
    const std::vector<double> values = evaluate(x, y, opt);
    const std::vector<std::string> names = metrics_names();
    std::map<std::string, double> out;
    for (std::size_t i = 0; i < values.size() && i < names.size(); ++i) out[names[i]] = values[i];
    return out;
}

Tensor Model::predict(const Tensor& x, const PredictOptions& opt) {
    return predict(std::vector<Tensor>{x}, opt);
}

Tensor Model::predict(const std::vector<Tensor>& xs_in, const PredictOptions& opt) {
    TFC_CHECK(!xs_in.empty() && xs_in.size() == input_count(), "predict",
              "wrong number of input arrays", std::to_string(xs_in.size()),
              std::to_string(input_count()) + " (one per model input)",
              "pass one array per model input, in the model's input order");
    std::vector<Tensor> xs;
    for (const auto& x : xs_in) {
        TFC_CHECK(x.defined() && x.rank() >= 1, "predict", "x needs a batch dimension",
                  x.defined() ? shape_str(x.shape()) : "undefined", "rank >= 1",
                  "add a leading sample axis, e.g. ops::expand_dims(x, 0) for one sample");
        TFC_CHECK(x.dim(0) == xs_in[0].dim(0), "predict",
                  "the input arrays have different numbers of samples", shape_str(x.shape()),
                  std::to_string(xs_in[0].dim(0)) + " samples",
                  "give every input the same samples");
        xs.push_back(as_float_input(x));
    }
    TFC_CHECK(opt.batch_size > 0, "predict", "batch_size must be positive",
              std::to_string(opt.batch_size), "batch_size >= 1", "pass e.g. .batch_size = 32");
    ensure_built(xs);
    autograd::NoGradGuard ng;
    const std::int64_t n = xs[0].dim(0);
    const std::int64_t steps = (n + opt.batch_size - 1) / opt.batch_size;
    Logs logs;
    for (const auto& c : opt.callbacks) {
        c->set_model(this);
        c->on_predict_begin(logs);
    }
    Progbar bar(steps, opt.verbose);
    std::vector<Tensor> outs;
    for (std::int64_t step = 0; step < steps; ++step) {
        for (const auto& c : opt.callbacks) c->on_predict_batch_begin(step, logs);
        const std::int64_t lo = step * opt.batch_size, hi = std::min(n, lo + opt.batch_size);
        const auto idx = range_indices(lo, hi);
        std::vector<Tensor> xb;
        for (const auto& x : xs) xb.push_back(ops::take_rows(x, idx));
        outs.push_back(call_inputs(xb, false));
        for (const auto& c : opt.callbacks) c->on_predict_batch_end(step, logs);
        bar.update(step + 1, {}, step + 1 == steps);
    }
    for (const auto& c : opt.callbacks) c->on_predict_end(logs);
    if (outs.empty()) {
        Shape s = output_shape();
        if (s.empty()) s = {0};
        s[0] = 0;
        return Tensor::zeros(s);
    }
    return outs.size() == 1 ? outs[0] : ops::concat(outs, 0);
}

// ---- layers of a model; defaults for subclassed models (keras/engine/training.py) ----

void Model::track_layer(const LayerPtr& layer) {
    TFC_CHECK(layer != nullptr, name_, "track() got a null layer", "nullptr", "a layer",
              "create the layer before tracking it");
    for (const auto& l : tracked_) {
        if (l == layer) return;
    }
    tracked_.push_back(layer);
    subclass_built_ = false;
}

std::vector<LayerPtr> Model::layers() const { return tracked_; }

void Model::build(const Shape& input_shape) {
    TFC_CHECK(!input_shape.empty(), name_, "build() needs an input shape", "()",
              "(batch, ...) with -1 for the batch", "pass e.g. {-1, 784}");
    Shape probe = input_shape;
    probe[0] = 1;
    for (std::size_t i = 1; i < probe.size(); ++i) {
        TFC_CHECK(probe[i] > 0, name_, "a subclassed model is built from a concrete shape",
                  shape_str(input_shape), "known sizes on every axis but the batch",
                  "build it with the data's shape, or fit it on data");
    }
    // Keras builds a subclassed model by calling it; running call() creates every weight.
    autograd::NoGradGuard ng;
    const Tensor y = call(Tensor::zeros(probe), false);
    subclass_input_shape_ = input_shape;
    subclass_input_shape_[0] = -1;
    subclass_output_shape_ = y.shape();
    if (!subclass_output_shape_.empty()) subclass_output_shape_[0] = -1;
    subclass_built_ = true;
}

bool Model::built() const { return subclass_built_; }
Shape Model::input_shape() const { return subclass_input_shape_; }
Shape Model::output_shape() const { return subclass_output_shape_; }

LayerPtr Model::get_layer(const std::string& name) const {
    std::string names;
    for (const auto& l : layers()) {
        if (l->name() == name) return l;
        names += (names.empty() ? "" : ", ") + l->name();
    }
    fail("get_layer", "no such layer: " + name, "'" + name + "'",
         "one of the existing layers [" + names + "]", "check the name (see model.summary())");
}

LayerPtr Model::get_layer(int index) const {
    const auto ls = layers();
    TFC_CHECK(index >= 0 && index < static_cast<int>(ls.size()), "get_layer",
              "the layer index is out of range", std::to_string(index),
              "0 <= index < " + std::to_string(ls.size()), "pass the index of an existing layer");
    return ls[static_cast<std::size_t>(index)];
}

void Model::set_trainable(bool on) {
    for (const auto& l : layers()) l->set_trainable(on);
}

}  // namespace tfc
