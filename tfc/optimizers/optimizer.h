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

struct ClipOptions {
    std::optional<double> clipnorm;
    std::optional<double> clipvalue;
    std::optional<double> global_clipnorm;
};

class Optimizer {
public:
    explicit Optimizer(double learning_rate, ClipOptions clip = {});
    virtual ~Optimizer() = default;
    virtual std::string class_name() const = 0;  // "SGD", "Adam", ...

    double learning_rate() const { return learning_rate_; }
    void set_learning_rate(double lr);
    std::int64_t iterations() const { return iterations_; }

    // One step: clips the gradients as configured, then updates every variable in place.
    // Undefined gradients are skipped. Variables are float32 tensors owned by layers.
    void apply_gradients(const std::vector<Tensor>& grads, const std::vector<Tensor>& vars);

protected:
    // Updates one variable; `step` is iterations()+1 (1-based, as Keras's local_step).
    virtual void update_step(const Tensor& grad, Tensor& var, std::int64_t step) = 0;
    // A zero- (or value-) initialised slot tensor per variable and slot name.
    Tensor& slot(const Tensor& var, const std::string& slot_name, double init = 0.0);

    double learning_rate_;
    ClipOptions clip_;
    std::int64_t iterations_ = 0;

private:
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
    OptimizerRef(OptimizerPtr opt) : opt_(std::move(opt)) {}  // NOLINT(runtime/explicit)
    template <typename O,
              typename = std::enable_if_t<std::is_base_of_v<Optimizer, std::decay_t<O>>>>
    OptimizerRef(O&& opt)  // NOLINT(runtime/explicit)
        : opt_(std::make_shared<std::decay_t<O>>(std::forward<O>(opt))) {}
    const OptimizerPtr& get() const { return opt_; }

private:
    OptimizerPtr opt_;
};

}  // namespace tfc
