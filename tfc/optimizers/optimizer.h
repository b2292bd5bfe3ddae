// Optimizer base with Keras 2.11+ semantics (keras/optimizers/optimizer.py of Keras 2.15):
// learning rate settable between steps (schedules, callbacks), clipnorm (per variable),
// clipvalue, global_clipnorm, and per-variable slots updated in place.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc {

// Gradient clipping, Keras 2.11+ (`_clip_gradients`). At most one may be set; each must be a
// finite value > 0.
//   clipnorm:        each gradient on its own: g <- g * c / max(||g||_2, c)   (tf.clip_by_norm)
//   clipvalue:       element-wise: g <- clip(g, -c, c)                         (tf.clip_by_value)
//   global_clipnorm: all gradients together by their global L2 norm (tf.clip_by_global_norm)
// Every optimizer's options struct carries these three fields too, so designated initialisers
// work: SGD({.learning_rate = 0.1, .clipnorm = 1.0}).
struct ClipOptions {
    std::optional<double> clipnorm{};
    std::optional<double> clipvalue{};
    std::optional<double> global_clipnorm{};
};

// The clip fields of any options struct (SGDOptions, AdamOptions, ...).
template <typename Options>
ClipOptions clip_options_of(const Options& o) {
    return ClipOptions{o.clipnorm, o.clipvalue, o.global_clipnorm};
}

class Optimizer {
  public:
    // Throws tfc::Error on a negative or non-finite learning rate and on invalid clipping.
    explicit Optimizer(double learning_rate, ClipOptions clip = {});
    virtual ~Optimizer() = default;
    // Copies get their own slot buffers (a copied optimizer never shares state).
    Optimizer(const Optimizer& other);
    Optimizer& operator=(const Optimizer& other);
    Optimizer(Optimizer&&) noexcept = default;
    Optimizer& operator=(Optimizer&&) noexcept = default;

    virtual std::string class_name() const = 0;  // "SGD", "Adam", ...

    double learning_rate() const { return learning_rate_; }
    // Takes effect from the next apply_gradients (Keras: optimizer.learning_rate = lr).
    // Throws unless lr is finite and >= 0.
    void set_learning_rate(double lr);
    std::int64_t iterations() const { return iterations_; }
    const ClipOptions& clip_options() const { return clip_; }

    // One step: clips the gradients as configured, then updates every variable in place (its
    // buffer is written, never replaced). Undefined gradients are skipped, like Keras's
    // filter_empty_gradients; all of them undefined is an error. Variables are float32; each
    // gradient is float32 with its variable's shape. Runs without recording on any tape.
    void apply_gradients(const std::vector<Tensor>& grads, const std::vector<Tensor>& vars);

    // The slot `slot_name` of `var` ("m", "v", "momentum", "accumulator", ...), or an undefined
    // tensor when this optimizer has not created it (yet).
    Tensor get_slot(const Tensor& var, const std::string& slot_name) const;

    // The state Keras saves with a model (optimizer.variables()): the step count and, per
    // variable, the slots named here, in Keras's creation order (Adam: m, v[, vhat]; SGD with
    // momentum: m; RMSprop: velocity[, momentum][, average_gradient]; Adagrad: accumulator).
    virtual std::vector<std::string> slot_names() const = 0;
    // Restores a saved state: the step count (>= 0) and a slot's values (a shape-checked copy).
    void set_iterations(std::int64_t n);
    void set_slot(const Tensor& var, const std::string& slot_name, const Tensor& value);

  protected:
    // Updates one variable; `step` is iterations()+1 (1-based, as Keras's local_step).
    virtual void update_step(const Tensor& grad, Tensor& var, std::int64_t step) = 0;
    // A zero- (or value-) initialised float32 slot tensor per variable and slot name, created on
    // first use and reused (same buffer) afterwards.
    Tensor& slot(const Tensor& var, const std::string& slot_name, double init = 0.0);

    double learning_rate_;
    ClipOptions clip_;
    std::int64_t iterations_ = 0;

  private:
    std::vector<Tensor> clip_gradients(const std::vector<Tensor>& grads) const;

    std::unordered_map<std::uint64_t, std::unordered_map<std::string, Tensor>> slots_;
};

using OptimizerPtr = std::shared_ptr<Optimizer>;

// Keras strings with Keras 2 defaults: "sgd", "rmsprop", "adam", "adagrad" (case-insensitive;
// also "SGD", "Adam", ...). Throws on unknown names.
OptimizerPtr get_optimizer(const std::string& identifier);

class OptimizerRef {
  public:
    OptimizerRef(const char* name);         // NOLINT(runtime/explicit)
    OptimizerRef(const std::string& name);  // NOLINT(runtime/explicit)
    OptimizerRef(OptimizerPtr opt);         // NOLINT(runtime/explicit); throws when null
    template <typename O, typename = std::enable_if_t<std::is_base_of_v<Optimizer, O>>>
    OptimizerRef(std::shared_ptr<O> opt)  // NOLINT(runtime/explicit): std::make_shared<Adam>()
        : OptimizerRef(OptimizerPtr(std::move(opt))) {}
    template <typename O,
              typename = std::enable_if_t<std::is_base_of_v<Optimizer, std::decay_t<O>>>>
    OptimizerRef(O&& opt)  // NOLINT(runtime/explicit)
        : opt_(std::make_shared<std::decay_t<O>>(std::forward<O>(opt))) {}
    const OptimizerPtr& get() const { return opt_; }

  private:
    OptimizerPtr opt_;
};

}  // namespace tfc
