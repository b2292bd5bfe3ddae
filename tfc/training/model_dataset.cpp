// fit / evaluate / predict on tf.data-style datasets: elements are already batched
// (x, y[, sample_weight]) tuples (keras/engine/data_adapter.py DatasetAdapter).
#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/ops/ops.h"
#include "tfc/training/model.h"
#include "tfc/training/model_internal.h"

namespace tfc {
namespace {

void split_element(const data::Element& e, Tensor& x, Tensor& y, Tensor& sw, const char* where) {
    TFC_CHECK(e.size() == 2 || e.size() == 3, where,
              "dataset elements must be (x, y) or (x, y, sample_weight)",
              std::to_string(e.size()) + " components", "2 or 3 components",
              "map the dataset to (features, labels) tuples, e.g. with Dataset::map");
    x = e[0];
    y = e[1];
    sw = e.size() == 3 ? e[2] : Tensor();
    if (x.dtype() != DType::float32 && x.dtype() != DType::float64) x = x.astype(DType::float32);
}

}  // namespace

History Model::fit(const data::Dataset& dataset, const FitOptions& opt,
                   std::int64_t steps_per_epoch, const data::Dataset* validation_data) {
    check_compiled("fit");
    TFC_CHECK(opt.validation_split == 0.0, "fit", "validation_split is not supported for datasets",
              "validation_split=" + std::to_string(opt.validation_split), "0",
              "pass validation_data instead (Keras raises the same error)");
    const std::int64_t card = dataset.cardinality();
    TFC_CHECK(card != data::kInfiniteCardinality || steps_per_epoch > 0, "fit",
              "an infinite dataset needs steps_per_epoch", "repeat() without a count",
              "steps_per_epoch > 0", "pass steps_per_epoch, or drop the repeat()");
    const std::int64_t steps = steps_per_epoch > 0 ? steps_per_epoch : (card >= 0 ? card : -1);
    data::ElementIteratorPtr it;
    BatchSource source;
    // With steps_per_epoch the iterator carries over between epochs, as in Keras.
    source.begin_epoch = [&] {
        if (!it || steps_per_epoch <= 0) it = dataset.make_iterator();
    };
    source.next = [&](std::int64_t, std::vector<Tensor>& xb, std::vector<Tensor>& yb,
                      Tensor& swb) {
        auto e = it->next();
        if (!e && steps_per_epoch > 0) {  // ran dry: start a new pass, like Keras's warning path
            it = dataset.make_iterator();
            e = it->next();
        }
        if (!e) return false;
        xb.resize(1);
        yb.resize(1);
        split_element(*e, xb[0], yb[0], swb, "fit");
        return true;
    };
    std::function<Logs()> validate;
    if (validation_data) {
        validate = [&] {
            EvaluateOptions eo;
            eo.verbose = 0;
            const auto values = evaluate(*validation_data, eo);
            Logs logs;
            const auto names = metrics_names();
            for (std::size_t i = 0; i < values.size() && i < names.size(); ++i) {
                logs.set(names[i], values[i]);
            }
            return logs;
        };
    }
    return fit_loop(opt, steps, source, validate);
}

std::vector<double> Model::evaluate(const data::Dataset& dataset, const EvaluateOptions& opt) {
    check_compiled("evaluate");
    autograd::NoGradGuard ng;
    model_internal::RunningMeans means(1);
    for (auto& m : metrics_) m->reset_state();
    std::int64_t batches = 0;
    Logs logs;
    for (const auto& e : dataset) {
        Tensor x, y, sw;
        split_element(e, x, y, sw, "evaluate");
        const std::vector<Tensor> xs{x}, ys{y};
        check_xy(xs, ys, "evaluate");
        ensure_built(xs);
        const std::vector<Tensor> preds = call_outputs(xs, false);
        const Tensor loss = compiled_loss(ys, preds, sw, nullptr);
        resolve_metrics(ys, preds);
        means.add({loss.item()}, static_cast<double>(x.dim(0)));
        log_batch(ys, preds, means.results(), logs);
        ++batches;
    }
    TFC_CHECK(batches > 0, "evaluate", "the dataset produced no batch", "an empty dataset",
              "at least one batch", "check the dataset");
    std::vector<double> out;
    for (const auto& [k, v] : logs.items()) out.push_back(v);
    return out;
}

Tensor Model::predict(const data::Dataset& dataset, const PredictOptions& opt) {
    autograd::NoGradGuard ng;
    std::vector<Tensor> outs;
    for (const auto& e : dataset) {
        TFC_CHECK(!e.empty(), "predict", "dataset element has no components", "()", "(x, ...)",
                  "map the dataset to (features,) or (features, labels)");
        Tensor x = e[0];
        if (x.dtype() != DType::float32 && x.dtype() != DType::float64) x = x.astype(DType::float32);
        ensure_built({x});
        outs.push_back(call(x, false));
    }
    TFC_CHECK(!outs.empty(), "predict", "the dataset produced no batch", "an empty dataset",
              "at least one batch", "check the dataset");
    return outs.size() == 1 ? outs[0] : ops::concat(outs, 0);
}

}  // namespace tfc
