// All optimizers: SGD, RMSprop, Adam, Adagrad (Keras 2.15 semantics) and the base.
#pragma once

#include "tfc/optimizers/adagrad.h"
#include "tfc/optimizers/adam.h"
#include "tfc/optimizers/optimizer.h"
#include "tfc/optimizers/rmsprop.h"
#include "tfc/optimizers/sgd.h"
