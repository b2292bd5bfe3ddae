// make_csv_dataset's batches, read straight from the CSV into batch tensors.
//
// The result is the element sequence of the composition
//   csv rows -> shuffle(buffer_size, seed) -> repeat(num_epochs) -> batch(batch_size)
// (csv_test.cpp checks it against that composition), but rows never become tensors: the shuffle
// buffer is a row-major float array, and each batch is two tensors. With per-row tensors most of
// the time went to malloc/free (three to four allocations per row).
//
// The shuffle is ShuffleNode's (shuffle.cpp): the buffer fills to buffer_size rows, each output
// is the row at rng.randint(rows buffered), whose slot takes the last buffered row; pass k of
// the dataset (one per epoch and per iteration) seeds its generator from (seed, k).
#include <algorithm>
#include <atomic>
#include <cstring>

#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/data/csv_impl.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data::detail {
namespace {

class CsvBatchNode : public DatasetNode {
public:
    CsvBatchNode(std::string path, CsvOptions options, CsvPlan plan, CsvBatchSpec spec,
                 const char* where)
        : path_(std::move(path)),
          options_(std::move(options)),
          plan_(std::move(plan)),
          spec_(spec),
          where_(where) {
        const std::size_t k = plan_.selected.size();
        for (std::size_t j = 0; j < k; ++j) {
            if (static_cast<std::int64_t>(j) != spec_.label) features_.push_back(j);
        }
        int_label_ =
            spec_.label >= 0 &&
            plan_.defaults[static_cast<std::size_t>(spec_.label)].type == ColumnType::int64;
    }

    // As batch(repeat(shuffle(csv))): the CSV's length is unknown until read.
    std::int64_t cardinality() const override {
        std::int64_t n = kUnknownCardinality;
        if (spec_.epochs == 0) n = 0;
        return batch_cardinality(n, spec_.batch_size, spec_.drop_remainder);
    }

    ElementIteratorPtr make_iterator() const override {
        auto it = std::make_unique<It>();
        it->node = this;
        it->width = features_.size();
        it->capacity = spec_.shuffle ? spec_.buffer_size : 1;
        return it;
    }

private:
    // A label holds an int64 or the bits of a float32, as the column's type says.
    union Label {
        std::int64_t i;
        float f;
    };

    struct It : ElementIterator {
        const CsvBatchNode* node = nullptr;
        std::size_t width = 0;      // features per row
        std::int64_t capacity = 1;  // shuffle buffer rows (1: no shuffle)
        // The current epoch (pass) and its shuffle buffer.
        std::unique_ptr<CsvRecordReader> reader;
        bool epoch_open = false, input_done = false, epoch_had_rows = false;
        std::int64_t epochs_done = 0;
        bool epochs_over = false;   // as RepeatNode: an empty pass ends the repetition
        bool batches_over = false;  // as BatchNode: a short batch is the last one
        Generator rng;
        std::vector<float> features;  // buffered rows, row-major
        std::vector<Label> labels;
        std::int64_t buffered = 0;
        std::vector<std::string> record;
        std::vector<float> batch_features;  // the batch being filled, row-major
        std::vector<Label> batch_labels;

        // Grows row storage on demand (never past what is used: the buffer and the batch size
        // may be far larger than the file).
        void reserve_rows(std::vector<float>& f, std::vector<Label>& l, std::size_t row) const {
            if (f.size() >= (row + 1) * width) return;
            const std::size_t rows = std::max<std::size_t>(64, 2 * row);
            f.resize(rows * width);
            if (node->spec_.label >= 0) l.resize(rows);
        }

        std::optional<Element> next() override {
            if (batches_over) return std::nullopt;
            const std::int64_t b = node->spec_.batch_size;
            std::int64_t n = 0;
            while (n < b && next_row(static_cast<std::size_t>(n))) ++n;
            if (n < b) batches_over = true;
            if (n == 0 || (node->spec_.drop_remainder && n < b)) return std::nullopt;
            Element out;
            out.reserve(2);
            Tensor x = Tensor::empty({n, static_cast<std::int64_t>(width)}, DType::float32);
            std::memcpy(x.raw_data(), batch_features.data(),
                        static_cast<std::size_t>(n) * width * sizeof(float));
            out.push_back(std::move(x));
            if (node->spec_.label >= 0) {
                Tensor y = Tensor::empty({n}, node->int_label_ ? DType::int64 : DType::float32);
                for (std::int64_t r = 0; r < n; ++r) {
                    const Label& l = batch_labels[static_cast<std::size_t>(r)];
                    if (node->int_label_) {
                        y.data<std::int64_t>()[r] = l.i;
                    } else {
                        y.data<float>()[r] = l.f;
                    }
                }
                out.push_back(std::move(y));
            }
            return out;
        }

        // The next row of the repeated, shuffled stream into batch slot `slot`; false at the end.
        bool next_row(std::size_t slot) {
            if (epochs_over) return false;
            for (;;) {
                if (!epoch_open) {
                    const std::int64_t epochs = node->spec_.epochs;
                    if (epochs >= 0 && epochs_done >= epochs) return false;
                    open_epoch();
                }
                if (take_row(slot)) {
                    epoch_had_rows = true;
                    return true;
                }
                epoch_open = false;
                ++epochs_done;
                if (!epoch_had_rows) {
                    epochs_over = true;
                    return false;
                }
            }
        }

        void open_epoch() {
            reader = std::make_unique<CsvRecordReader>(node->path_, node->options_, node->where_);
            if (node->options_.header) reader->next(record);
            if (node->spec_.shuffle) {
                const std::uint64_t pass = node->passes_.fetch_add(1);
                Generator mix(node->spec_.seed ^ (0x9E3779B97F4A7C15ull * (pass + 1)));
                rng.seed(mix.next_u64());
            }
            epoch_open = true;
            input_done = false;
            epoch_had_rows = false;
            buffered = 0;
        }

        // One output of the shuffle buffer, refilled first from the file.
        bool take_row(std::size_t slot) {
            while (!input_done && buffered < capacity) {
                if (!read_row()) {
                    input_done = true;
                    reader.reset();  // closes the file as soon as it is read
                }
            }
            if (buffered == 0) return false;
            reserve_rows(batch_features, batch_labels, slot);
            const std::int64_t i = node->spec_.shuffle ? rng.randint(buffered) : 0;
            const std::int64_t last = buffered - 1;
            copy_row(i, batch_features.data() + slot * width);
            if (node->spec_.label >= 0) batch_labels[slot] = labels[static_cast<std::size_t>(i)];
            if (i != last) {
                copy_row(last, features.data() + static_cast<std::size_t>(i) * width);
                if (node->spec_.label >= 0) {
                    labels[static_cast<std::size_t>(i)] = labels[static_cast<std::size_t>(last)];
                }
            }
            buffered = last;
            return true;
        }

        void copy_row(std::int64_t row, float* dst) const {
            std::memcpy(dst, features.data() + static_cast<std::size_t>(row) * width,
                        width * sizeof(float));
        }

        // Parses the next record into buffer row `buffered`; false at the end of the file.
        bool read_row() {
            if (!reader->next(record)) return false;
            const CsvPlan& plan = node->plan_;
            check_field_count(record, plan, *reader, node->where_);
            const auto row = static_cast<std::size_t>(buffered);
            reserve_rows(features, labels, row);
            const CsvLocation at = reader->location();
            float* f = features.data() + row * width;
            for (std::size_t p = 0; p < width; ++p) {
                const std::size_t j = node->features_[p];
                const CsvValue v = value(j, at);
                f[p] = plan.defaults[j].type == ColumnType::int64 ? static_cast<float>(v.i)
                                                                  : static_cast<float>(v.f);
            }
            if (node->spec_.label >= 0) {
                const CsvValue v = value(static_cast<std::size_t>(node->spec_.label), at);
                Label& l = labels[row];
                if (node->int_label_) {
                    l.i = v.i;
                } else {
                    l.f = static_cast<float>(v.f);
                }
            }
            ++buffered;
            return true;
        }

        CsvValue value(std::size_t j, const CsvLocation& at) const {
            const CsvPlan& plan = node->plan_;
            const std::size_t col = plan.selected[j];
            return convert(record[col], plan.defaults[j], node->options_.na_value, at,
                           plan.names[col]);
        }
    };

    std::string path_;
    CsvOptions options_;
    CsvPlan plan_;
    CsvBatchSpec spec_;
    const char* where_;
    std::vector<std::size_t> features_;  // positions among the selected columns, label removed
    bool int_label_ = false;
    mutable std::atomic<std::uint64_t> passes_{0};
};

}  // namespace

DatasetNodePtr make_csv_batch_node(std::string path, CsvOptions options, CsvPlan plan,
                                   const CsvBatchSpec& spec, const char* where) {
    return std::make_shared<CsvBatchNode>(std::move(path), std::move(options), std::move(plan),
                                          spec, where);
}

}  // namespace tfc::data::detail
