// Model: Keras's training API (keras/engine/training.py of Keras 2.15) - compile, fit,
// evaluate, predict, summary - over a subclass-defined forward pass. Keyword arguments are
// C++20 designated initialisers: model.fit(x, y, {.epochs = 5, .validation_split = 0.1}).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tfc/callbacks/callback.h"
#include "tfc/core/tensor.h"
#include "tfc/layers/layer.h"
#include "tfc/losses/loss.h"
#include "tfc/metrics/metric.h"
#include "tfc/optimizers/optimizer.h"

namespace tfc {

namespace data {
class Dataset;
}

// Returned by fit(): history[key] has one value per epoch; epoch lists 0-based epoch indices.
class History : public Callback {
public:
    std::map<std::string, std::vector<double>> history;
    std::vector<int> epoch;
    void on_train_begin(Logs& logs) override;
    void on_epoch_end(int epoch_index, Logs& logs) override;
};

struct FitOptions {
    std::int64_t batch_size = 32;
    int epochs = 1;
    int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
    std::vector<CallbackPtr> callbacks{};
    double validation_split = 0.0;  // the LAST fraction of x/y, taken before shuffling
    std::optional<std::pair<Tensor, Tensor>> validation_data{};
    bool shuffle = true;
    Tensor sample_weight{};  // (batch,) per-sample weights, optional
    int initial_epoch = 0;
};

struct EvaluateOptions {
    std::int64_t batch_size = 32;
    int verbose = 1;
    std::vector<CallbackPtr> callbacks{};
    Tensor sample_weight{};
};

// compile() for a model with several outputs (Keras's list arguments, in output order):
//   model.compile("adam", CompileOptions{.loss = {"mse", "sparse_categorical_crossentropy"},
//                                        .loss_weights = {1.0, 0.5},
//                                        .metrics = {{}, {"accuracy"}}});
// The loss trained on is sum_k loss_weights[k] * loss_k(y_k, output_k). The logs then hold
// "loss", "<output>_loss" per output and "<output>_<metric>" (Keras 2 names; <output> is the
// output layer's name).
struct CompileOptions {
    std::vector<LossRef> loss;                      // one per output
    std::vector<double> loss_weights{};             // empty: 1 each
    std::vector<std::vector<MetricRef>> metrics{};  // empty, or one list per output
};

struct PredictOptions {
    std::int64_t batch_size = 32;
    int verbose = 0;
    std::vector<CallbackPtr> callbacks{};
};

class Model {
public:
    explicit Model(std::string name = "");
    virtual ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    const std::string& name() const { return name_; }

    // The forward pass. Subclasses (Sequential, functional models, user models) define it.
    virtual Tensor call(const Tensor& x, bool training) = 0;
    // The forward pass over one array per model input; models with one input call call().
    virtual Tensor call_inputs(const std::vector<Tensor>& xs, bool training);
    virtual std::size_t input_count() const { return 1; }
    // Every output of the forward pass (several for a functional model with several outputs),
    // and the names Keras gives them in logs (the output layers' names).
    virtual std::vector<Tensor> call_outputs(const std::vector<Tensor>& xs, bool training);
    virtual std::size_t output_count() const { return 1; }
    virtual std::vector<std::string> output_names() const;
    // The rest has defaults for subclassed models (docs/functional.md), whose layers are
    // members registered with track(): layers() lists them; build() runs call() once on zeros
    // of the input shape (batch 1) under no tape, which builds every layer, and records the
    // input and output shapes. Sequential and Functional override all of them.
    // Every layer of the model, in order (for weights, summary, freezing).
    virtual std::vector<LayerPtr> layers() const;
    // Builds all weights for an input shape (batch dim included, -1 allowed).
    virtual void build(const Shape& input_shape);
    virtual bool built() const;
    virtual Shape input_shape() const;   // with batch dim -1; empty when unknown
    virtual Shape output_shape() const;  // with batch dim -1; empty when unknown

    // Keras's model.get_layer(name=...) / get_layer(index=...); throws when absent.
    LayerPtr get_layer(const std::string& name) const;
    LayerPtr get_layer(int index) const;
    // Keras's `model.trainable = on`: sets every layer's trainable flag (a frozen
    // BatchNormalization then runs in inference mode). Recompile-free here: fit() reads the
    // trainable weights at its start.
    void set_trainable(bool on);

    void compile(OptimizerRef optimizer = "rmsprop", std::optional<LossRef> loss = std::nullopt,
                 std::vector<MetricRef> metrics = {});
    void compile(OptimizerRef optimizer, CompileOptions options);
    History fit(const Tensor& x, const Tensor& y, const FitOptions& options = {});
    // tf.data-style input (model_dataset.cpp): every element is an already batched
    // (x, y[, sample_weight]); batch_size, shuffle and validation_split are not used (Keras
    // rejects validation_split for datasets). One epoch is one pass over the dataset, or
    // `steps_per_epoch` batches when given (required for an infinite dataset).
    History fit(const data::Dataset& dataset, const FitOptions& options = {},
                std::int64_t steps_per_epoch = -1,
                const data::Dataset* validation_data = nullptr);
    std::vector<double> evaluate(const data::Dataset& dataset, const EvaluateOptions& options = {});
    Tensor predict(const data::Dataset& dataset, const PredictOptions& options = {});
    // [loss, metric values...] in metrics_names() order.
    std::vector<double> evaluate(const Tensor& x, const Tensor& y,
                                 const EvaluateOptions& options = {});
    std::map<std::string, double> evaluate_dict(const Tensor& x, const Tensor& y,
                                                const EvaluateOptions& options = {});
    Tensor predict(const Tensor& x, const PredictOptions& options = {});
    // Several inputs (a functional model with several Inputs): one array per input, in the
    // model's input order, all with the same number of samples; one output.
    //   model.fit({wide, deep}, y, {.epochs = 20});
    History fit(const std::vector<Tensor>& xs, const Tensor& y, const FitOptions& options = {});
    std::vector<double> evaluate(const std::vector<Tensor>& xs, const Tensor& y,
                                 const EvaluateOptions& options = {});
    Tensor predict(const std::vector<Tensor>& xs, const PredictOptions& options = {});
    // Several outputs (compiled with CompileOptions): one target array per output, in the
    // model's output order. evaluate returns the values in metrics_names() order.
    //   model.fit({x}, {y_value, y_class}, {.epochs = 10});
    History fit(const std::vector<Tensor>& xs, const std::vector<Tensor>& ys,
                const FitOptions& options = {});
    std::vector<double> evaluate(const std::vector<Tensor>& xs, const std::vector<Tensor>& ys,
                                 const EvaluateOptions& options = {});
    // One optimisation step on one batch; returns the logs (loss and metric values).
    Logs train_on_batch(const Tensor& x, const Tensor& y, const Tensor& sample_weight = Tensor());

    // Keras's summary table with parameter counts.
    void summary(std::ostream& out) const;
    void summary() const;
    std::string summary_string() const;

    std::vector<Tensor> trainable_weights() const;
    std::vector<Tensor> non_trainable_weights() const;
    std::vector<Tensor> get_weights() const;  // copies, in layer order
    void set_weights(const std::vector<Tensor>& weights);
    std::int64_t count_params() const;
    std::vector<std::string> metrics_names() const;

    // Interim weights file (until Keras .h5 lands): magic "TFCW", version, count, then per
    // weight: name, dtype, rank, dims, raw little-endian data. Written atomically.
    void save_weights(const std::string& path) const;
    void load_weights(const std::string& path);

    Optimizer& optimizer() const;
    const LossPtr& loss() const { return loss_; }  // the first output's loss
    const std::vector<LossPtr>& losses() const { return losses_; }  // one per output
    const std::vector<double>& loss_weights() const { return loss_weights_; }
    // The metrics given to compile(), per output (one list for a single-output model).
    const std::vector<std::vector<MetricRef>>& compiled_metrics() const { return metric_specs_; }
    bool compiled() const { return optimizer_ != nullptr; }

    bool stop_training = false;

protected:
    std::string name_;

    // Registers a member layer of a subclassed model (in the order of layers()).
    template <typename L>
    std::shared_ptr<L> track(std::shared_ptr<L> layer) {
        track_layer(layer);
        return layer;
    }
    void track_layer(const LayerPtr& layer);

    // summary(): one row per layer. Models whose graph is not a chain fill `connected_to` and
    // return false from summary_sequential_like() to get Keras's four-column table.
    struct SummaryRow {
        std::string layer;         // "name (ClassName)"
        std::string output_shape;  // "(None, 10)"
        std::int64_t params = 0;
        std::string connected_to;  // "['dense[0][0]']"
    };
    virtual std::vector<SummaryRow> summary_rows() const;
    virtual bool summary_sequential_like() const { return true; }

protected:
    // Supplies one epoch of batches to fit_loop(); next() returns false when the epoch ends.
    struct BatchSource {
        std::function<void()> begin_epoch;
        std::function<bool(std::int64_t step, std::vector<Tensor>& xs, std::vector<Tensor>& ys,
                           Tensor& sample_weight)>
            next;
    };
    // The epoch/batch loop shared by every fit() overload. steps < 0: until next() says stop.
    History fit_loop(const FitOptions& options, std::int64_t steps, BatchSource& source,
                     const std::function<Logs()>& validate);

private:
    void check_compiled(const char* where) const;
    void check_xy(const std::vector<Tensor>& xs, const std::vector<Tensor>& ys,
                  const char* where) const;
    void ensure_built(const std::vector<Tensor>& xs);
    void resolve_metrics(const std::vector<Tensor>& ys, const std::vector<Tensor>& preds);
    // The compiled loss of one batch: sum_k loss_weights[k] * loss_k; each output's loss value
    // goes to `per_output` when given.
    Tensor compiled_loss(const std::vector<Tensor>& ys, const std::vector<Tensor>& preds,
                         const Tensor& sample_weight, std::vector<double>* per_output) const;
    // Writes the running loss means and updates + writes every metric.
    void log_batch(const std::vector<Tensor>& ys, const std::vector<Tensor>& preds,
                   const std::vector<double>& loss_means, Logs& logs);
    History fit_arrays(const std::vector<Tensor>& xs, const std::vector<Tensor>& ys,
                       const FitOptions& options);
    Logs run_test(const std::vector<Tensor>& xs, const std::vector<Tensor>& ys,
                  const Tensor& sample_weight, std::int64_t batch_size, int verbose,
                  const std::vector<CallbackPtr>& callbacks);

    std::vector<LayerPtr> tracked_;  // subclassed models: layers from track()
    Shape subclass_input_shape_, subclass_output_shape_;
    bool subclass_built_ = false;

    OptimizerPtr optimizer_;
    LossPtr loss_;
    std::vector<LossPtr> losses_;
    std::vector<double> loss_weights_;
    std::vector<std::vector<MetricRef>> metric_specs_;  // per output
    std::vector<MetricPtr> metrics_;                    // resolved, output by output
    std::vector<std::size_t> metric_output_;            // the output each metric watches
    std::vector<std::string> metric_keys_;              // its log key
};

}  // namespace tfc
