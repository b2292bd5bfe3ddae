// All built-in metrics (tf.keras.metrics of Keras 2.15) and resolve_metric (metric.h).
#pragma once

#include "tfc/metrics/accuracy.h"
#include "tfc/metrics/crossentropy_metrics.h"
#include "tfc/metrics/mean.h"
#include "tfc/metrics/mean_metric_wrapper.h"
#include "tfc/metrics/metric.h"
#include "tfc/metrics/regression_metrics.h"
