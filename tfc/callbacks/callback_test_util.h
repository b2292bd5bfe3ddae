// Test helpers for the callback tests: a minimal compiled Model with one scalar weight "w",
// and a logs builder. Hooks are driven directly with hand-made logs, as Keras's fit would.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tfc/callbacks/logs.h"
#include "tfc/initializers/initializers.h"
#include "tfc/layers/layer.h"
#include "tfc/losses/loss.h"
#include "tfc/optimizers/sgd.h"
#include "tfc/training/model.h"

namespace tfc::testing {

// One weight "w" of shape (1,), zero at start; the identity as its forward pass.
class ScalarLayer : public Layer {
  public:
    ScalarLayer() : Layer("scalar") {
        add_weight("w", {1}, Zeros());
        built_ = true;
    }
    std::string class_name() const override { return "ScalarLayer"; }
    Tensor call(const Tensor& inputs, bool training) override { return inputs; }
};

// Never evaluated: the hook tests only need compile() to accept a loss.
class UnusedLoss : public Loss {
  public:
    std::string name() const override { return "unused"; }
    std::string class_name() const override { return "UnusedLoss"; }
    Tensor call(const Tensor& y_true, const Tensor& y_pred) const override { return y_pred; }
};

class ScalarModel : public Model {
  public:
    explicit ScalarModel(double learning_rate = 0.01) : Model("scalar_model") {
        compile(OptimizerPtr(std::make_shared<SGD>(SGDOptions{.learning_rate = learning_rate})),
                LossPtr(std::make_shared<UnusedLoss>()));
    }
    Tensor call(const Tensor& x, bool training) override { return x; }
    std::vector<LayerPtr> layers() const override { return {layer_}; }
    void build(const Shape& input_shape) override {}
    bool built() const override { return true; }
    Shape input_shape() const override { return {-1, 1}; }
    Shape output_shape() const override { return {-1, 1}; }

    // The weight stands for "the state after epoch N": tests set it to the epoch index.
    void set_w(double v) { set_weights({Tensor::from_vector(std::vector<float>{float(v)}, {1})}); }
    double w() const { return get_weights().at(0).at(0); }

  private:
    LayerPtr layer_ = std::make_shared<ScalarLayer>();
};

inline Logs make_logs(std::initializer_list<std::pair<std::string, double>> items) {
    Logs logs;
    for (const auto& [k, v] : items) logs.set(k, v);
    return logs;
}

// A fresh folder under the system temp dir, removed by the destructor.
class TempDir {
  public:
    explicit TempDir(const std::string& name)
        : path_(std::filesystem::temp_directory_path() /
                ("tfc_callbacks_" + name + "_" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace tfc::testing
