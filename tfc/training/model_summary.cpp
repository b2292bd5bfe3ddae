// model.summary(): Keras 2.15's table (keras/utils/layer_utils.py `print_summary`): line length
// 65, column stops at 29 / 55 / 65, a leading space, two spaces between columns, a blank row
// after every layer, and totals with the weights' memory size.
#include <algorithm>
#include <iostream>
#include <sstream>

#include "tfc/core/error.h"
#include "tfc/training/model.h"

namespace tfc {
namespace {

// Keras 2.15 print_summary: sequential-like models get 3 columns on 65 characters (positions
// .45/.85/1), other graphs 4 columns on 98 (.3/.6/.7/1, with "Connected to").
constexpr int kLineLength = 65;
constexpr int kGraphLineLength = 98;
const std::vector<int> kStops = {29, 55, 65};
const std::vector<int> kGraphStops = {29, 58, 68, 98};

// One table row (Keras 2.15 `print_row`): fields longer than a column wrap onto further lines,
// breaking after "),", "},", "]," or "'," when one fits; columns but the last lose one extra
// character to the leading space.
void print_row(std::ostream& out, std::vector<std::string> fields, const std::vector<int>& stops) {
    const int ncol = static_cast<int>(stops.size());
    auto any_left = [&] {
        for (const auto& f : fields) {
            if (!f.empty()) return true;
        }
        return false;
    };
    do {
        std::string line;
        for (int col = 0; col < ncol; ++col) {
            const int start = col ? stops[col - 1] : 0;
            const bool last = col == ncol - 1;
            const int space = last ? 0 : 2;
            std::size_t cutoff = static_cast<std::size_t>(stops[col] - start - space - (last ? 0 : 1));
            std::string fit = fields[col].substr(0, cutoff);
            std::size_t best = std::string::npos;
            for (const char* brk : {"),", "},", "],", "',"}) {
                const auto pos = fit.find(brk);
                if (pos != std::string::npos) best = std::min(best, pos + 2);
            }
            if (best != std::string::npos) {
                cutoff = best;
                fit = fit.substr(0, cutoff);
            }
            if (col == 0) line += " ";
            line += fit + std::string(space, ' ');
            fields[col] = fields[col].size() > cutoff ? fields[col].substr(cutoff) : std::string();
            if (line.size() < static_cast<std::size_t>(stops[col])) {
                line += std::string(stops[col] - line.size(), ' ');
            }
        }
        out << line << "\n";
    } while (any_left());
}

// Keras's readable_memory_size: bytes in B/KB/MB/GB with 2 decimals, base 1024.
std::string readable_size(double bytes) {
    const char* units[] = {"Byte", "KB", "MB", "GB", "TB"};
    int i = 0;
    while (bytes >= 1024.0 && i < 4) {
        bytes /= 1024.0;
        ++i;
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.2f %s", bytes, units[i]);
    return buf;
}

}  // namespace

std::vector<Model::SummaryRow> Model::summary_rows() const {
    std::vector<SummaryRow> rows;
    Shape s = input_shape();
    for (const auto& l : layers()) {
        s = l->compute_output_shape(s);
        rows.push_back({l->name() + " (" + l->class_name() + ")", shape_str(s), l->count_params(), ""});
    }
    return rows;
}

void Model::summary(std::ostream& out) const {
    TFC_CHECK(built(), "summary", "this model has not yet been built", "an unbuilt model",
              "a built model",
              "give the first layer an input_shape, call build(), or fit the model first");
    const bool graph = !summary_sequential_like();
    const int width = graph ? kGraphLineLength : kLineLength;
    const std::vector<int>& stops = graph ? kGraphStops : kStops;
    out << "Model: \"" << name_ << "\"\n";
    out << std::string(width, '_') << "\n";
    if (graph) print_row(out, {"Layer (type)", "Output Shape", "Param #", "Connected to"}, stops);
    else print_row(out, {"Layer (type)", "Output Shape", "Param #"}, stops);
    out << std::string(width, '=') << "\n";
    for (const auto& r : summary_rows()) {
        if (graph) print_row(out, {r.layer, r.output_shape, std::to_string(r.params), r.connected_to}, stops);
        else print_row(out, {r.layer, r.output_shape, std::to_string(r.params)}, stops);
        out << std::string(width, ' ') << "\n";
    }
    out << std::string(width, '=') << "\n";
    std::int64_t trainable = 0, non_trainable = 0;
    double trainable_bytes = 0, non_trainable_bytes = 0;
    for (const auto& t : trainable_weights()) {
        trainable += t.size();
        trainable_bytes += static_cast<double>(t.nbytes());
    }
    for (const auto& t : non_trainable_weights()) {
        non_trainable += t.size();
        non_trainable_bytes += static_cast<double>(t.nbytes());
    }
    out << "Total params: " << trainable + non_trainable << " ("
        << readable_size(trainable_bytes + non_trainable_bytes) << ")\n";
    out << "Trainable params: " << trainable << " (" << readable_size(trainable_bytes) << ")\n";
    out << "Non-trainable params: " << non_trainable << " (" << readable_size(non_trainable_bytes)
        << ")\n";
    out << std::string(width, '_') << "\n";
}

void Model::summary() const { summary(std::cout); }

std::string Model::summary_string() const {
    std::ostringstream os;
    summary(os);
    return os.str();
}

}  // namespace tfc
