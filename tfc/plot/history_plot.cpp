#include "tfc/plot/history_plot.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "tfc/core/error.h"
#include "tfc/plot/figure_impl.h"

namespace tfc::plot {
namespace {

constexpr const char* kValPrefix = "val_";

bool is_val(const std::string& key) { return key.rfind(kValPrefix, 0) == 0; }

std::string base_name(const std::string& key) {
    return is_val(key) ? key.substr(std::string(kValPrefix).size()) : key;
}

bool is_learning_rate(const std::string& key) { return key == "lr" || key == "learning_rate"; }

Line epoch_line(const std::string& key, const std::vector<double>& values) {
    Line line;
    line.label = key;
    line.y = values;
    line.x.resize(values.size());
    for (size_t i = 0; i < values.size(); ++i) line.x[i] = static_cast<double>(i + 1);
    return line;
}

PanelSpec epoch_panel(const std::string& name) {
    PanelSpec panel;
    panel.title = name;
    panel.x_label = "epoch";
    panel.y_label = name;
    panel.integer_x = true;
    return panel;
}

}  // namespace

void plot_history(const Series& history, const std::string& path, const PlotOptions& opts) {
    // Loss keys on the left; every other key on the right, ordered by metric then train/val.
    std::vector<std::string> loss_keys, metric_keys;
    for (const auto& [key, values] : history) {
        if (values.empty() || is_learning_rate(key)) continue;
        (base_name(key) == "loss" ? loss_keys : metric_keys).push_back(key);
    }
    auto by_metric = [](const std::string& a, const std::string& b) {
        return std::make_tuple(base_name(a), is_val(a)) < std::make_tuple(base_name(b), is_val(b));
    };
    std::sort(loss_keys.begin(), loss_keys.end(), by_metric);
    std::sort(metric_keys.begin(), metric_keys.end(), by_metric);
    if (loss_keys.empty() && metric_keys.empty()) {
        std::string got = std::to_string(history.size()) + (history.size() == 1 ? " key" : " keys");
        if (!history.empty()) got += " (all empty or learning rates only)";
        throw Error("[plot_history] empty history. Got " + got +
                    ", expected at least one metric with one value per epoch, e.g. \"loss\". "
                    "Fix: pass History.history after fit() ran at least one epoch.");
    }
    check_output("plot_history", path, opts.width, opts.height);

    FigureSpec figure;
    figure.title = opts.title;
    figure.width = opts.width;
    figure.height = opts.height;
    if (!loss_keys.empty()) {
        PanelSpec panel = epoch_panel("loss");
        for (const std::string& key : loss_keys)
            panel.lines.push_back(epoch_line(key, history.at(key)));
        figure.panels.push_back(std::move(panel));
    }
    if (!metric_keys.empty()) {
        std::set<std::string> bases;
        for (const std::string& key : metric_keys) bases.insert(base_name(key));
        PanelSpec panel = epoch_panel(bases.size() == 1 ? *bases.begin() : "metrics");
        for (const std::string& key : metric_keys) {
            panel.lines.push_back(epoch_line(key, history.at(key)));
        }
        figure.panels.push_back(std::move(panel));
    }
    render_figure("plot_history", figure, path);
}

}  // namespace tfc::plot
