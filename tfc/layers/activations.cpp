// Keras activations by name (keras/activations.py of Keras 2.15).
#include "tfc/layers/activations.h"

#include <map>

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

// keras/activations.py `softmax`: rejects 1-D input, then caches the logits on the output
// (`output._keras_logits = x`) so the cross-entropy losses can use the stable logits form.
Tensor softmax_activation(const Tensor& x) {
    TFC_CHECK(x.rank() > 1, "softmax", "cannot apply softmax to a 1-D tensor", shape_str(x.shape()),
              "rank >= 2 (batch, classes)", "feed batched input, e.g. reshape to (1, n)");
    Tensor y = ops::softmax(x, -1);
    y.set_keras_logits(x, "softmax");
    return y;
}

Tensor sigmoid_activation(const Tensor& x) {
    Tensor y = ops::sigmoid(x);
    y.set_keras_logits(x, "sigmoid");
    return y;
}

// Keras 2.15 `mish`: x * tanh(softplus(x)).
Tensor mish_activation(const Tensor& x) { return ops::mul(x, ops::tanh(ops::softplus(x))); }

const std::map<std::string, ActivationFn>& registry() {
    static const std::map<std::string, ActivationFn> table = {
        {"linear", [](const Tensor& x) { return x; }},
        {"relu", [](const Tensor& x) { return ops::relu(x); }},
        {"sigmoid", sigmoid_activation},
        {"tanh", [](const Tensor& x) { return ops::tanh(x); }},
        {"softmax", softmax_activation},
        {"elu", [](const Tensor& x) { return ops::elu(x, 1.0); }},
        {"selu", [](const Tensor& x) { return ops::selu(x); }},
        {"softplus", [](const Tensor& x) { return ops::softplus(x); }},
        {"softsign", [](const Tensor& x) { return ops::softsign(x); }},
        // Keras 2's default: the exact erf form (approximate=False).
        {"gelu", [](const Tensor& x) { return ops::gelu(x, false); }},
        {"swish", [](const Tensor& x) { return ops::swish(x); }},
        {"silu", [](const Tensor& x) { return ops::swish(x); }},
        {"mish", mish_activation},
        // The string resolves to tf.nn.leaky_relu, whose alpha is 0.2 (the LeakyReLU layer
        // uses 0.3).
        {"leaky_relu", [](const Tensor& x) { return ops::leaky_relu(x, 0.2); }},
        // Keras 2: clip(0.2 x + 0.5, 0, 1) (Keras 3 changed it to relu6(x + 3) / 6).
        {"hard_sigmoid", [](const Tensor& x) { return ops::hard_sigmoid(x); }},
        // Keras 3's hard_sigmoid, relu6(x + 3) / 6 (keras/src/backend/*/nn.py): the name files
        // written by Keras >= 3 map to (tfc/io/activation_names_impl.h).
        {"hard_sigmoid_keras3",
         [](const Tensor& x) { return ops::div(ops::clip(ops::add(x, 3.0), 0.0, 6.0), 6.0); }},
        {"exponential", [](const Tensor& x) { return ops::exponential(x); }},
    };
    return table;
}

std::string canonical(const std::string& name) {
    if (name.empty() || name == "None") return "linear";
    return name;
}

}  // namespace

bool is_known_activation(const std::string& name) { return registry().count(canonical(name)) > 0; }

ActivationFn get_activation(const std::string& name) {
    const auto& table = registry();
    auto it = table.find(canonical(name));
    if (it == table.end()) {
        std::string known;
        for (const auto& [n, fn] : table) {
            if (!known.empty()) known += ", ";
            known += "\"" + n + "\"";
        }
        fail("get_activation", "unknown activation", "\"" + name + "\"", "one of " + known,
             "check the spelling; \"linear\" (or \"\") means no activation");
    }
    return it->second;
}

}  // namespace tfc
