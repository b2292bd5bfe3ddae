// compile / fit / train_on_batch (keras/engine/training.py of Keras 2.15, data handling from
// keras/engine/data_adapter.py, several outputs from keras/engine/compile_utils.py). evaluate,
// predict and the layer accessors are in model_evaluate.cpp.
#include "tfc/training/model.h"

#include <cmath>
#include <functional>
#include <iostream>

#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/ops/ops.h"
#include "tfc/training/model_internal.h"
#include "tfc/training/progbar.h"

namespace tfc {

using model_internal::as_float_input;
using model_internal::range_indices;
using model_internal::RunningMeans;

Model::Model(std::string name) : name_(std::move(name)) {}
Model::~Model() = default;

void Model::compile(OptimizerRef optimizer, std::optional<LossRef> loss,
                    std::vector<MetricRef> metrics) {
    CompileOptions o;
    if (loss) o.loss.push_back(*loss);
    o.metrics.push_back(std::move(metrics));
    compile(std::move(optimizer), std::move(o));
}

void Model::compile(OptimizerRef optimizer, CompileOptions options) {
    optimizer_ = optimizer.get();
    TFC_CHECK(optimizer_ != nullptr, "compile", "optimizer is null", "nullptr",
              "an optimizer or its name", "pass e.g. \"adam\" or Adam()");
    const std::size_t n = options.loss.size();
    TFC_CHECK(options.loss_weights.empty() || options.loss_weights.size() == n, "compile",
              "loss_weights needs one weight per loss", std::to_string(options.loss_weights.size()),
              std::to_string(n), "pass one weight per output, or none for 1 each");
    for (double w : options.loss_weights) {
        TFC_CHECK(std::isfinite(w), "compile", "a loss weight is not finite", std::to_string(w),
                  "a finite number", "pass finite loss_weights");
    }
    TFC_CHECK(options.metrics.size() <= std::max<std::size_t>(n, 1), "compile",
              "more metric lists than outputs", std::to_string(options.metrics.size()),
              "at most one list per output (" + std::to_string(n) + ")",
              "pass {{metrics of output 0}, {metrics of output 1}, ...}");
    losses_.clear();
    for (const LossRef& l : options.loss) {
        losses_.push_back(l.get());
        TFC_CHECK(losses_.back() != nullptr, "compile", "a loss is null", "nullptr",
                  "a loss or its name", "pass e.g. \"mse\"");
    }
    loss_ = losses_.empty() ? nullptr : losses_[0];
    loss_weights_ =
        options.loss_weights.empty() ? std::vector<double>(n, 1.0) : options.loss_weights;
    metric_specs_ = std::move(options.metrics);
    metrics_.clear();
    metric_output_.clear();
    metric_keys_.clear();
}

Optimizer& Model::optimizer() const {
    check_compiled("optimizer");
    return *optimizer_;
}

void Model::check_compiled(const char* where) const {
    TFC_CHECK(optimizer_ != nullptr, where, "the model must be compiled first",
              "an uncompiled model", "compile() before training or evaluating",
              "call model.compile(optimizer, loss, metrics)");
    TFC_CHECK(!losses_.empty(), where, "no loss was given to compile()", "loss=None", "a loss",
              "call model.compile(optimizer, \"sparse_categorical_crossentropy\", ...)");
    TFC_CHECK(losses_.size() == output_count(), where,
              "compile() got a different number of losses than the model has outputs",
              std::to_string(losses_.size()) + " losses",
              std::to_string(output_count()) + " (one per output)",
              "compile with CompileOptions{.loss = {...}} listing one loss per output");
}

void Model::check_xy(const std::vector<Tensor>& xs, const std::vector<Tensor>& ys,
                     const char* where) const {
    TFC_CHECK(!xs.empty(), where, "no input arrays", "an empty list", "one array per model input",
              "pass the arrays to train on");
    TFC_CHECK(xs.size() == input_count(), where, "wrong number of input arrays",
              std::to_string(xs.size()), std::to_string(input_count()) + " (one per model input)",
              "pass one array per model input, in the model's input order");
    TFC_CHECK(ys.size() == output_count(), where, "wrong number of target arrays",
              std::to_string(ys.size()), std::to_string(output_count()) + " (one per model output)",
              "pass one target array per model output, in the model's output order");
    const Tensor& y0 = ys[0];
    for (std::size_t k = 0; k < ys.size(); ++k) {
        const std::string which = ys.size() == 1 ? "y" : "y[" + std::to_string(k) + "]";
        TFC_CHECK(ys[k].defined() && ys[k].rank() >= 1, where, which + " needs a batch dimension",
                  ys[k].defined() ? shape_str(ys[k].shape()) : "an empty Tensor()", "rank >= 1",
                  "add a leading sample axis");
        TFC_CHECK(ys[k].dim(0) == y0.dim(0), where,
                  "the target arrays have different numbers of samples",
                  which + " " + shape_str(ys[k].shape()) + ", y[0] " + shape_str(y0.shape()),
                  "the same first dimension", "give every output's targets the same samples");
    }
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const Tensor& x = xs[i];
        const std::string which = xs.size() == 1 ? "x" : "x[" + std::to_string(i) + "]";
        TFC_CHECK(x.defined(), where, which + " or y is undefined", "an empty Tensor()",
                  "data tensors", "pass the arrays to train on");
        TFC_CHECK(x.rank() >= 1, where, which + " and y need a batch dimension",
                  which + " " + shape_str(x.shape()) + ", y " + shape_str(y0.shape()), "rank >= 1",
                  "add a leading sample axis");
        TFC_CHECK(x.dim(0) == y0.dim(0), where, which + " and y have different numbers of samples",
                  which + " " + shape_str(x.shape()) + " and y " + shape_str(y0.shape()),
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
              "data of shape " + shape_str(x.shape()), "(batch" + shape_str(expected).substr(5),
              "reshape the data to the model's input shape, or rebuild the model for this shape");
}

Tensor Model::call_inputs(const std::vector<Tensor>& xs, bool training) {
    TFC_CHECK(xs.size() == 1, name_, "the model takes one input",
              std::to_string(xs.size()) + " arrays", "1", "pass a single array");
    return call(xs[0], training);
}

std::vector<Tensor> Model::call_outputs(const std::vector<Tensor>& xs, bool training) {
    return {call_inputs(xs, training)};
}

std::vector<std::string> Model::output_names() const {
    std::vector<std::string> names;
    const auto ls = layers();
    names.push_back(ls.empty() ? "output" : ls.back()->name());
    return names;
}

void Model::resolve_metrics(const std::vector<Tensor>& ys, const std::vector<Tensor>& preds) {
    if (!metrics_.empty()) return;
    const bool several = ys.size() > 1;
    const std::vector<std::string> names = several ? output_names() : std::vector<std::string>{};
    for (std::size_t k = 0; k < metric_specs_.size() && k < ys.size(); ++k) {
        for (const auto& spec : metric_specs_[k]) {
            MetricPtr m = spec.metric()
                              ? spec.metric()
                              : resolve_metric(spec.name(), ys[k].shape(), preds[k].shape());
            metrics_.push_back(m);
            metric_output_.push_back(k);
            metric_keys_.push_back(several ? names[k] + "_" + m->name() : m->name());
        }
    }
}

std::vector<std::string> Model::metrics_names() const {
    std::vector<std::string> names{"loss"};
    if (losses_.size() > 1) {
        for (const std::string& o : output_names()) names.push_back(o + "_loss");
    }
    for (const auto& k : metric_keys_) names.push_back(k);
    return names;
}

Tensor Model::compiled_loss(const std::vector<Tensor>& ys, const std::vector<Tensor>& preds,
                            const Tensor& sample_weight, std::vector<double>* per_output) const {
    TFC_CHECK(preds.size() == losses_.size(), name_, "the model returned another number of outputs",
              std::to_string(preds.size()), std::to_string(losses_.size()) + " (one per loss)",
              "compile with one loss per model output");
    Tensor total;
    if (per_output) per_output->clear();
    for (std::size_t k = 0; k < losses_.size(); ++k) {
        Tensor l = (*losses_[k])(ys[k], preds[k], sample_weight);
        if (per_output) per_output->push_back(l.item());
        if (losses_.size() == 1 && loss_weights_[k] == 1.0) return l;
        Tensor weighted = ops::mul(l, loss_weights_[k]);
        total = total.defined() ? ops::add(total, weighted) : weighted;
    }
    return total;
}

void Model::log_batch(const std::vector<Tensor>& ys, const std::vector<Tensor>& preds,
                      const std::vector<double>& loss_means, Logs& logs) {
    logs.set("loss", loss_means[0]);
    if (losses_.size() > 1) {
        const std::vector<std::string> names = output_names();
        for (std::size_t k = 0; k < losses_.size(); ++k)
            logs.set(names[k] + "_loss", loss_means[k + 1]);
    }
    autograd::NoGradGuard ng;
    for (std::size_t i = 0; i < metrics_.size(); ++i) {
        const std::size_t k = metric_output_[i];
        metrics_[i]->update_state(ys[k], preds[k]);  // compile() metrics are unweighted in Keras 2
        logs.set(metric_keys_[i], metrics_[i]->result());
    }
}

Logs Model::train_on_batch(const Tensor& x_in, const Tensor& y, const Tensor& sample_weight) {
    check_compiled("train_on_batch");
    const std::vector<Tensor> xs{as_float_input(x_in)};
    const std::vector<Tensor> ys{y};
    check_xy(xs, ys, "train_on_batch");
    ensure_built(xs);
    std::vector<Tensor> preds;
    Tensor loss;
    std::vector<double> per_output;
    std::vector<Tensor> vars = trainable_weights();
    std::vector<Tensor> grads;
    {
        autograd::GradientTape tape;
        preds = call_outputs(xs, true);
        loss = compiled_loss(ys, preds, sample_weight, &per_output);
        grads = tape.gradient(loss, vars);
    }
    optimizer_->apply_gradients(grads, vars);
    resolve_metrics(ys, preds);
    for (auto& m : metrics_) m->reset_state();
    std::vector<double> means{loss.item()};
    means.insert(means.end(), per_output.begin(), per_output.end());
    Logs logs;
    log_batch(ys, preds, means, logs);
    return logs;
}

History Model::fit(const Tensor& x, const Tensor& y, const FitOptions& opt) {
    return fit_arrays({x}, {y}, opt);
}

History Model::fit(const std::vector<Tensor>& xs, const Tensor& y, const FitOptions& opt) {
    return fit_arrays(xs, {y}, opt);
}

History Model::fit(const std::vector<Tensor>& xs, const std::vector<Tensor>& ys,
                   const FitOptions& opt) {
    return fit_arrays(xs, ys, opt);
}

History Model::fit_arrays(const std::vector<Tensor>& xs_in, const std::vector<Tensor>& ys_in,
                          const FitOptions& opt) {
    check_compiled("fit");
    std::vector<Tensor> xs;
    for (const auto& x : xs_in) xs.push_back(x.defined() ? as_float_input(x) : x);
    std::vector<Tensor> ys = ys_in;
    check_xy(xs, ys, "fit");
    TFC_CHECK(opt.batch_size > 0, "fit", "batch_size must be positive",
              std::to_string(opt.batch_size), "batch_size >= 1", "pass e.g. .batch_size = 32");
    TFC_CHECK(opt.epochs >= 0 && opt.initial_epoch >= 0, "fit", "epochs must be non-negative",
              std::to_string(opt.epochs), ">= 0", "pass .epochs = N");
    TFC_CHECK(opt.validation_split >= 0.0 && opt.validation_split < 1.0, "fit",
              "validation_split must be in [0, 1)", std::to_string(opt.validation_split),
              "0 <= split < 1", "pass a fraction such as 0.2");
    TFC_CHECK(opt.verbose >= 0 && opt.verbose <= 2, "fit", "verbose must be 0, 1 or 2",
              std::to_string(opt.verbose), "0, 1 or 2", "pick one of the Keras verbosity modes");
    const std::int64_t n_all = ys[0].dim(0);
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
    std::vector<Tensor> vxs, vys;
    if (opt.validation_data) {
        TFC_CHECK(
            xs.size() == 1 && ys.size() == 1, "fit",
            "validation_data holds one input and one target array",
            std::to_string(xs.size()) + " model inputs, " + std::to_string(ys.size()) + " outputs",
            "a model with one input and one output",
            "use validation_split, or evaluate({...}, {...}) after fit");
        vxs = {as_float_input(opt.validation_data->first)};
        vys = {opt.validation_data->second};
        check_xy(vxs, vys, "fit(validation_data)");
    } else if (opt.validation_split > 0.0) {
        const std::int64_t n = n_all;
        const auto split_at =
            static_cast<std::int64_t>(std::floor(n * (1.0 - opt.validation_split)));
        TFC_CHECK(split_at > 0 && split_at < n, "fit", "validation_split leaves an empty part",
                  std::to_string(n) + " samples with split " + std::to_string(opt.validation_split),
                  "both a training and a validation part", "use more data or another split");
        const auto val_idx = range_indices(split_at, n);
        const auto train_idx = range_indices(0, split_at);
        vxs = rows(xs, val_idx);
        vys = rows(ys, val_idx);
        xs = rows(xs, train_idx);
        ys = rows(ys, train_idx);
        if (sw.defined()) sw = ops::take_rows(sw.reshaped({sw.size()}), train_idx);
    }
    ensure_built(xs);
    if (!vxs.empty()) ensure_built(vxs);

    const std::int64_t n = ys[0].dim(0);
    const std::int64_t steps = (n + opt.batch_size - 1) / opt.batch_size;
    std::vector<std::int64_t> order;
    BatchSource source;
    source.begin_epoch = [&] {
        order = opt.shuffle ? global_generator().permutation(n) : range_indices(0, n);
    };
    source.next = [&](std::int64_t step, std::vector<Tensor>& xb, std::vector<Tensor>& yb,
                      Tensor& swb) {
        if (step >= steps) return false;
        const std::int64_t lo = step * opt.batch_size;
        const std::int64_t hi = std::min(n, lo + opt.batch_size);
        std::vector<std::int64_t> idx(order.begin() + lo, order.begin() + hi);
        xb = rows(xs, idx);
        yb = rows(ys, idx);
        swb = sw.defined() ? ops::take_rows(sw.reshaped({sw.size()}), idx) : Tensor();
        return true;
    };
    std::function<Logs()> validate;
    if (!vxs.empty()) {
        validate = [&] { return run_test(vxs, vys, Tensor(), opt.batch_size, 0, {}); };
    }
    return fit_loop(opt, steps, source, validate);
}

History Model::fit_loop(const FitOptions& opt, std::int64_t steps, BatchSource& source,
                        const std::function<Logs()>& validate) {
    auto history = std::make_shared<History>();
    // Keras 2.15 order (CallbackList._add_default_callbacks): the user's callbacks, then
    // History, then the progress bar; so History sees what the callbacks add (e.g. "lr").
    std::vector<CallbackPtr> cbs;
    for (const auto& c : opt.callbacks) {
        TFC_CHECK(c != nullptr, "fit", "a callback is null", "nullptr", "callback objects",
                  "remove the null entry");
        cbs.push_back(c);
    }
    cbs.push_back(history);
    auto each = [&](const auto& fn) {
        for (auto& c : cbs) fn(*c);
    };
    each([&](Callback& c) {
        c.set_model(this);
        c.set_params(CallbackParams{opt.epochs, steps, opt.verbose});
    });

    stop_training = false;
    Logs train_logs;
    each([&](Callback& c) { c.on_train_begin(train_logs); });
    std::vector<Tensor> vars;
    Logs epoch_logs;
    for (int epoch = opt.initial_epoch; epoch < opt.epochs && !stop_training; ++epoch) {
        Logs begin_logs;
        each([&](Callback& c) { c.on_epoch_begin(epoch, begin_logs); });
        if (opt.verbose == 1) std::cout << "Epoch " << epoch + 1 << "/" << opt.epochs << "\n";
        Progbar bar(steps, opt.verbose);
        if (source.begin_epoch) source.begin_epoch();
        RunningMeans loss_means(1 + (losses_.size() > 1 ? losses_.size() : 0));
        for (auto& m : metrics_) m->reset_state();
        Logs logs;
        std::int64_t step = 0;
        std::vector<Tensor> xb, yb;
        Tensor swb;
        for (;; ++step) {
            if (steps >= 0 && step >= steps) break;
            if (!source.next(step, xb, yb, swb)) break;
            Logs batch_begin;
            each([&](Callback& c) { c.on_train_batch_begin(step, batch_begin); });
            ensure_built(xb);
            check_xy(xb, yb, "fit");

            std::vector<Tensor> preds;
            Tensor loss;
            std::vector<double> per_output;
            if (vars.empty()) vars = trainable_weights();
            std::vector<Tensor> grads;
            {
                autograd::GradientTape tape;
                preds = call_outputs(xb, true);
                loss = compiled_loss(yb, preds, swb, &per_output);
                grads = tape.gradient(loss, vars);
            }
            optimizer_->apply_gradients(grads, vars);
            resolve_metrics(yb, preds);
            std::vector<double> values{loss.item()};
            if (losses_.size() > 1)
                values.insert(values.end(), per_output.begin(), per_output.end());
            loss_means.add(values, static_cast<double>(yb[0].dim(0)));
            log_batch(yb, preds, loss_means.results(), logs);
            each([&](Callback& c) { c.on_train_batch_end(step, logs); });
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
        each([&](Callback& c) { c.on_epoch_end(epoch, logs); });
        bar.update(step, logs.items(), true);
        epoch_logs = logs;
    }
    each([&](Callback& c) { c.on_train_end(epoch_logs); });
    return *history;
}

}  // namespace tfc
