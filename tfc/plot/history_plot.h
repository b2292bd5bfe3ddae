// plot_history: loss and metric curves of a training run (Keras History.history) as .png or .svg.
// See docs/plot.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tfc/plot/line_plot.h"

namespace tfc::plot {

// Metric name -> one value per epoch, e.g. {"loss", {...}}, {"val_accuracy", {...}}.
using Series = std::map<std::string, std::vector<double>>;

struct PlotOptions {
    std::string title;  // figure title above the panels; empty for none
    int width = 1000;
    int height = 420;
};

// Left panel: "loss" and "val_loss". Right panel: every other key (e.g. "accuracy" and
// "val_accuracy"), except a learning-rate log ("lr", "learning_rate"). A panel without data is
// left out, the other one then takes the full width. x is the epoch, starting at 1. NaN values
// are skipped (the line breaks). Format from the extension (.png or .svg); atomic write through
// a temporary file in the same folder.
// Throws tfc::Error for an empty history, an unknown extension, a missing or unwritable folder.
void plot_history(const Series& history, const std::string& path, const PlotOptions& opts = {});

}  // namespace tfc::plot
