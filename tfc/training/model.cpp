// compile / fit / evaluate / predict / train_on_batch (keras/engine/training.py of Keras 2.15,
// data handling from keras/engine/data_adapter.py).
#include "tfc/training/model.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <iostream>

#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/ops/ops.h"
#include "tfc/training/progbar.h"

namespace tfc {
namespace {

// The loss's running epoch mean, weighted by batch size (Keras's `_loss_metric`).
struct RunningMean {
    double total = 0, count = 0;
    void add(double v, double w) {
        total += v * w;
        count += w;
    }
    double result() const { return count > 0 ? total / count : 0.0; }
};

Tensor as_float_input(const Tensor& x) {
    return x.dtype() == DType::float32 || x.dtype() == DType::float64 ? x
                                                                      : x.astype(DType::float32);
}

std::vector<std::int64_t> range_indices(std::int64_t begin, std::int64_t end) {
    std::vector<std::int64_t> r;
    r.reserve(end - begin);
    for (std::int64_t i = begin; i < end; ++i) r.push_back(i);
    return r;
}

struct CallbackList {
    std::vector<CallbackPtr> items;
    template <typename Fn>
    void each(Fn fn) {
        for (auto& c : items) fn(*c);
    }
};

}  // namespace

Model::Model(std::string name) : name_(std::move(name)) {}
Model::~Model() = default;

void Model::compile(OptimizerRef optimizer, std::optional<LossRef> loss,
                    std::vector<MetricRef> metrics) {
    optimizer_ = optimizer.get();
    TFC_CHECK(optimizer_ != nullptr, "compile", "optimizer is null", "nullptr",
              "an optimizer or its name", "pass e.g. \"adam\" or Adam()");
    loss_ = loss ? loss->get() : nullptr;
    metric_specs_ = std::move(metrics);
    metrics_.clear();
}

Optimizer& Model::optimizer() const {
    check_compiled("optimizer");
    return *optimizer_;
}

void Model::check_compiled(const char* where) const {
    TFC_CHECK(optimizer_ != nullptr, where, "the model must be compiled first",
              "an uncompiled model", "compile() before training or evaluating",
              "call model.compile(optimizer, loss, metrics)");
    TFC_CHECK(loss_ != nullptr, where, "no loss was given to compile()", "loss=None",
              "a loss", "call model.compile(optimizer, \"sparse_categorical_crossentropy\", ...)");
}

void Model::check_xy(const std::vector<Tensor>& xs, const Tensor& y, const char* where) const {
    TFC_CHECK(!xs.empty(), where, "no input arrays", "an empty list", "one array per model input",
              "pass the arrays to train on");
    TFC_CHECK(xs.size() == input_count(), where, "wrong number of input arrays",
              std::to_string(xs.size()), std::to_string(input_count()) + " (one per model input)",
              "pass one array per model input, in the model's input order");
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const Tensor& x = xs[i];
        const std::string which = xs.size() == 1 ? "x" : "x[" + std::to_string(i) + "]";
        TFC_CHECK(x.defined() && y.defined(), where, which + " or y is undefined",
                  "an empty Tensor()", "data tensors", "pass the arrays to train on");
        TFC_CHECK(x.rank() >= 1 && y.rank() >= 1, where, which + " and y need a batch dimension",
                  which + " " + shape_str(x.shape()) + ", y " + shape_str(y.shape()), "rank >= 1",
                  "add a leading sample axis");
        TFC_CHECK(x.dim(0) == y.dim(0), where, which + " and y have different numbers of samples",
                  which + " " + shape_str(x.shape()) + " and y " + shape_str(y.shape()),
                  "the same first dimension", "make the inputs and y describe the same samples");
        TFC_CHECK(x.dim(0) > 0, where, "no samples", shape_str(x.shape()), "at least one sample",
                  "check that the data loaded");
    }
}

void Model::ensure_built(const std::vector<Tensor>& xs) {
    if (xs.size() != 1) return;  // several inputs: a functional graph, built when defined
    const Tensor& x = xs[0];
    if (!built()) {
        Shape s = x.shape();
        s[0] = -1;
        build(s);
        return;
    }
    const Shape expected = input_shape();
    if (expected.empty()) return;
    bool ok = expected.size() == x.shape().size();
    for (std::size_t i = 1; ok && i < expected.size(); ++i) {
        ok = expected[i] < 0 || expected[i] == x.shape()[i];
    }
    TFC_CHECK(ok, name_, "input shape does not match the model",
              "data of shape " + shape_str(x.shape()),
              "(batch" + shape_str(expected).substr(5),
              "reshape the data to the model's input shape, or rebuild the model for this shape");
}

Tensor Model::call_inputs(const std::vector<Tensor>& xs, bool training) {
    TFC_CHECK(xs.size() == 1, name_, "the model takes one input", std::to_string(xs.size()) + " arrays",
              "1", "pass a single array");
    return call(xs[0], training);
}

void Model::resolve_metrics(const Tensor& y, const Tensor& y_pred) {
    if (!metrics_.empty() || metric_specs_.empty()) return;
    for (const auto& spec : metric_specs_) {
        if (spec.metric()) metrics_.push_back(spec.metric());
        else metrics_.push_back(resolve_metric(spec.name(), y.shape(), y_pred.shape()));
    }
}

std::vector<std::string> Model::metrics_names() const {
    std::vector<std::string> names{"loss"};
    for (const auto& m : metrics_) names.push_back(m->name());
    return names;
}

Logs Model::train_on_batch(const Tensor& x_in, const Tensor& y, const Tensor& sample_weight) {
    check_compiled("train_on_batch");
    const std::vector<Tensor> xs{as_float_input(x_in)};
    check_xy(xs, y, "train_on_batch");
    ensure_built(xs);
    Tensor y_pred, loss;
    std::vector<Tensor> vars = trainable_weights();
    std::vector<Tensor> grads;
    {
        autograd::GradientTape tape;
        y_pred = call_inputs(xs, true);
        loss = (*loss_)(y, y_pred, sample_weight);
        grads = tape.gradient(loss, vars);
    }
    optimizer_->apply_gradients(grads, vars);
    resolve_metrics(y, y_pred);
    Logs logs;
    logs.set("loss", loss.item());
    autograd::NoGradGuard ng;
    for (auto& m : metrics_) {
        m->reset_state();
        m->update_state(y, y_pred);
        logs.set(m->name(), m->result());
    }
    return logs;
}

History Model::fit(const Tensor& x, const Tensor& y, const FitOptions& opt) {
    return fit(std::vector<Tensor>{x}, y, opt);
}

History Model::fit(const std::vector<Tensor>& xs_in, const Tensor& y_in, const FitOptions& opt) {
    check_compiled("fit");
    std::vector<Tensor> xs;
    for (const auto& x : xs_in) xs.push_back(x.defined() ? as_float_input(x) : x);
    Tensor y = y_in;
    check_xy(xs, y, "fit");
    TFC_CHECK(opt.batch_size > 0, "fit", "batch_size must be positive",
              std::to_string(opt.batch_size), "batch_size >= 1", "pass e.g. .batch_size = 32");
    TFC_CHECK(opt.epochs >= 0 && opt.initial_epoch >= 0, "fit", "epochs must be non-negative",
              std::to_string(opt.epochs), ">= 0", "pass .epochs = N");
    TFC_CHECK(opt.validation_split >= 0.0 && opt.validation_split < 1.0, "fit",
              "validation_split must be in [0, 1)", std::to_string(opt.validation_split),
              "0 <= split < 1", "pass a fraction such as 0.2");
    TFC_CHECK(opt.verbose >= 0 && opt.verbose <= 2, "fit", "verbose must be 0, 1 or 2",
              std::to_string(opt.verbose), "0, 1 or 2", "pick one of the Keras verbosity modes");
    const std::int64_t n_all = y.dim(0);
    Tensor sw = opt.sample_weight;
    if (sw.defined()) {
        TFC_CHECK(sw.size() == n_all, "fit", "sample_weight needs one weight per sample",
                  shape_str(sw.shape()), "(" + std::to_string(n_all) + ",)",
                  "pass a 1-D array of per-sample weights");
    }
    auto rows = [](const std::vector<Tensor>& ts, const std::vector<std::int64_t>& idx) {
        std::vector<Tensor> out;
        out.reserve(ts.size());
        for (const auto& t : ts) out.push_back(ops::take_rows(t, idx));
        return out;
    };

    // Validation data: explicit, or the LAST fraction before shuffling (data_adapter.py).
    std::vector<Tensor> vxs;
    Tensor vy;
    if (opt.validation_data) {
        TFC_CHECK(xs.size() == 1, "fit", "validation_data holds one input array",
                  std::to_string(xs.size()) + " model inputs", "a single-input model",
                  "use validation_split, or evaluate({...}, y) after fit");
        vxs = {as_float_input(opt.validation_data->first)};
        vy = opt.validation_data->second;
        check_xy(vxs, vy, "fit(validation_data)");
    } else if (opt.validation_split > 0.0) {
        const std::int64_t n = n_all;
        const auto split_at = static_cast<std::int64_t>(std::floor(n * (1.0 - opt.validation_split)));
        TFC_CHECK(split_at > 0 && split_at < n, "fit", "validation_split leaves an empty part",
                  std::to_string(n) + " samples with split " + std::to_string(opt.validation_split),
                  "both a training and a validation part", "use more data or another split");
        const auto val_idx = range_indices(split_at, n);
        const auto train_idx = range_indices(0, split_at);
        vxs = rows(xs, val_idx);
        vy = ops::take_rows(y, val_idx);
        xs = rows(xs, train_idx);
        y = ops::take_rows(y, train_idx);
        if (sw.defined()) sw = ops::take_rows(sw.reshaped({sw.size()}), train_idx);
    }
    ensure_built(xs);
    if (!vxs.empty()) ensure_built(vxs);

    const std::int64_t n = y.dim(0);
    const std::int64_t steps = (n + opt.batch_size - 1) / opt.batch_size;
    std::vector<std::int64_t> order;
    BatchSource source;
    source.begin_epoch = [&] {
        order = opt.shuffle ? global_generator().permutation(n) : range_indices(0, n);
    };
    source.next = [&](std::int64_t step, std::vector<Tensor>& xb, Tensor& yb, Tensor& swb) {
        if (step >= steps) return false;
        const std::int64_t lo = step * opt.batch_size;
        const std::int64_t hi = std::min(n, lo + opt.batch_size);
        std::vector<std::int64_t> idx(order.begin() + lo, order.begin() + hi);
        xb = rows(xs, idx);
        yb = ops::take_rows(y, idx);
        swb = sw.defined() ? ops::take_rows(sw.reshaped({sw.size()}), idx) : Tensor();
        return true;
    };
    std::function<Logs()> validate;
    if (!vxs.empty()) {
        validate = [&] { return run_test(vxs, vy, Tensor(), opt.batch_size, 0, {}, true); };
    }
    return fit_loop(opt, steps, source, validate);
}

History Model::fit_loop(const FitOptions& opt, std::int64_t steps, BatchSource& source,
                        const std::function<Logs()>& validate) {
    auto history = std::make_shared<History>();
    // Keras 2.15 order (CallbackList._add_default_callbacks): the user's callbacks, then
    // History, then the progress bar; so History sees what the callbacks add (e.g. "lr").
    CallbackList cbs;
    for (const auto& c : opt.callbacks) {
        TFC_CHECK(c != nullptr, "fit", "a callback is null", "nullptr", "callback objects",
                  "remove the null entry");
        cbs.items.push_back(c);
    }
    cbs.items.push_back(history);
    cbs.each([&](Callback& c) {
        c.set_model(this);
        c.set_params(CallbackParams{opt.epochs, steps, opt.verbose});
    });

    stop_training = false;
    Logs train_logs;
    cbs.each([&](Callback& c) { c.on_train_begin(train_logs); });
    std::vector<Tensor> vars;
    Logs epoch_logs;
    for (int epoch = opt.initial_epoch; epoch < opt.epochs && !stop_training; ++epoch) {
        Logs begin_logs;
        cbs.each([&](Callback& c) { c.on_epoch_begin(epoch, begin_logs); });
        if (opt.verbose == 1) std::cout << "Epoch " << epoch + 1 << "/" << opt.epochs << "\n";
        Progbar bar(steps, opt.verbose);
        if (source.begin_epoch) source.begin_epoch();
        RunningMean loss_mean;
        for (auto& m : metrics_) m->reset_state();
        Logs logs;
        std::int64_t step = 0;
        std::vector<Tensor> xb;
        Tensor yb, swb;
        for (;; ++step) {
            if (steps >= 0 && step >= steps) break;
            if (!source.next(step, xb, yb, swb)) break;
            Logs batch_begin;
            cbs.each([&](Callback& c) { c.on_train_batch_begin(step, batch_begin); });
            ensure_built(xb);
            check_xy(xb, yb, "fit");

            Tensor y_pred, loss;
            if (vars.empty()) vars = trainable_weights();
            std::vector<Tensor> grads;
            {
                autograd::GradientTape tape;
                y_pred = call_inputs(xb, true);
                loss = (*loss_)(yb, y_pred, swb);
                grads = tape.gradient(loss, vars);
            }
            optimizer_->apply_gradients(grads, vars);
            resolve_metrics(yb, y_pred);
            loss_mean.add(loss.item(), static_cast<double>(yb.dim(0)));
            logs.set("loss", loss_mean.result());
            {
                autograd::NoGradGuard ng;
                for (auto& m : metrics_) {
                    m->update_state(yb, y_pred);  // compile() metrics are unweighted in Keras 2
                    logs.set(m->name(), m->result());
                }
            }
            cbs.each([&](Callback& c) { c.on_train_batch_end(step, logs); });
            if (steps < 0 || step + 1 < steps) bar.update(step + 1, logs.items(), false);
            if (stop_training) {  // e.g. TerminateOnNaN: stop after this batch
                ++step;
                break;
            }
        }
        TFC_CHECK(step > 0 || stop_training, "fit", "the training data produced no batch",
                  "an empty epoch", "at least one batch per epoch",
                  "check the dataset (an exhausted iterator, take(0), or a filter that drops "
                  "everything)");
        if (validate) {
            Logs val = validate();
            for (const auto& [k, v] : val.items()) logs.set("val_" + k, v);
        }
        cbs.each([&](Callback& c) { c.on_epoch_end(epoch, logs); });
        bar.update(step, logs.items(), true);
        epoch_logs = logs;
    }
    cbs.each([&](Callback& c) { c.on_train_end(epoch_logs); });
    return *history;
}

Logs Model::run_test(const std::vector<Tensor>& xs_in, const Tensor& y,
                     const Tensor& sample_weight, std::int64_t batch_size, int verbose,
                     const std::vector<CallbackPtr>& callbacks, bool for_validation) {
    std::vector<Tensor> xs;
    for (const auto& x : xs_in) xs.push_back(as_float_input(x));
    TFC_CHECK(batch_size > 0, "evaluate", "batch_size must be positive",
              std::to_string(batch_size), "batch_size >= 1", "pass e.g. .batch_size = 32");
    const std::int64_t n = y.dim(0);
    const std::int64_t steps = (n + batch_size - 1) / batch_size;
    autograd::NoGradGuard ng;
    Logs logs;
    for (const auto& c : callbacks) {
        c->set_model(this);
        c->on_test_begin(logs);
    }
    Progbar bar(steps, verbose);
    RunningMean loss_mean;
    // Validation uses the same metric objects; their training state is already in the logs.
    for (auto& m : metrics_) m->reset_state();
    for (std::int64_t step = 0; step < steps; ++step) {
        Logs bl;
        for (const auto& c : callbacks) c->on_test_batch_begin(step, bl);
        const std::int64_t lo = step * batch_size, hi = std::min(n, lo + batch_size);
        const auto idx = range_indices(lo, hi);
        std::vector<Tensor> xb;
        for (const auto& x : xs) xb.push_back(ops::take_rows(x, idx));
        Tensor yb = ops::take_rows(y, idx);
        Tensor swb = sample_weight.defined()
                         ? ops::take_rows(sample_weight.reshaped({sample_weight.size()}), idx)
                         : Tensor();
        Tensor y_pred = call_inputs(xb, false);
        Tensor loss = (*loss_)(yb, y_pred, swb);
        resolve_metrics(yb, y_pred);
        loss_mean.add(loss.item(), static_cast<double>(hi - lo));
        logs.set("loss", loss_mean.result());
        for (auto& m : metrics_) {
            m->update_state(yb, y_pred);  // compile() metrics are unweighted in Keras 2
            logs.set(m->name(), m->result());
        }
        for (const auto& c : callbacks) c->on_test_batch_end(step, logs);
        bar.update(step + 1, logs.items(), step + 1 == steps);
    }
    for (const auto& c : callbacks) c->on_test_end(logs);
    (void)for_validation;
    return logs;
}

std::vector<double> Model::evaluate(const Tensor& x, const Tensor& y,
                                    const EvaluateOptions& opt) {
    return evaluate(std::vector<Tensor>{x}, y, opt);
}

std::vector<double> Model::evaluate(const std::vector<Tensor>& xs, const Tensor& y,
                                    const EvaluateOptions& opt) {
    check_compiled("evaluate");
    check_xy(xs, y, "evaluate");
    std::vector<Tensor> fx;
    for (const auto& x : xs) fx.push_back(as_float_input(x));
    ensure_built(fx);
    Logs logs = run_test(fx, y, opt.sample_weight, opt.batch_size, opt.verbose, opt.callbacks,
                         false);
    std::vector<double> out;
    for (const auto& [k, v] : logs.items()) out.push_back(v);
    return out;
}

std::map<std::string, double> Model::evaluate_dict(const Tensor& x, const Tensor& y,
                                                   const EvaluateOptions& opt) {
    check_compiled("evaluate");
    const std::vector<Tensor> xs{as_float_input(x)};
    check_xy(xs, y, "evaluate");
    ensure_built(xs);
    Logs logs = run_test(xs, y, opt.sample_weight, opt.batch_size, opt.verbose, opt.callbacks,
                         false);
    std::map<std::string, double> out;
    for (const auto& [k, v] : logs.items()) out[k] = v;
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
                  std::to_string(xs_in[0].dim(0)) + " samples", "give every input the same samples");
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
