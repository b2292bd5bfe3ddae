// All built-in losses (tf.keras.losses of Keras 2.15). Each lives in its own header.
#pragma once

#include "tfc/losses/binary_crossentropy.h"
#include "tfc/losses/categorical_crossentropy.h"
#include "tfc/losses/huber.h"
#include "tfc/losses/loss.h"
#include "tfc/losses/mean_absolute_error.h"
#include "tfc/losses/mean_squared_error.h"
#include "tfc/losses/sparse_categorical_crossentropy.h"
