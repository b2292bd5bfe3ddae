// All Keras callbacks (keras/callbacks.py, Keras 2.15). See docs/callbacks.md.
#pragma once

#include "tfc/callbacks/callback.h"
#include "tfc/callbacks/csv_logger.h"
#include "tfc/callbacks/early_stopping.h"
#include "tfc/callbacks/lambda_callback.h"
#include "tfc/callbacks/learning_rate_scheduler.h"
#include "tfc/callbacks/logs.h"
#include "tfc/callbacks/model_checkpoint.h"
#include "tfc/callbacks/reduce_lr_on_plateau.h"
#include "tfc/callbacks/terminate_on_nan.h"
