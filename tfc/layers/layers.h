// Umbrella header: every Keras layer of the engine.
#pragma once

#include "tfc/layers/activation.h"
#include "tfc/layers/activations.h"
#include "tfc/layers/dense.h"
#include "tfc/layers/dropout.h"
#include "tfc/layers/flatten.h"
#include "tfc/layers/input_layer.h"
#include "tfc/layers/layer.h"
#include "tfc/layers/leaky_relu.h"
#include "tfc/layers/relu.h"
#include "tfc/layers/rescaling.h"
#include "tfc/layers/reshape.h"
#include "tfc/layers/softmax.h"
