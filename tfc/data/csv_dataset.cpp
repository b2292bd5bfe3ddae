// The streaming CSV datasets: csv_dataset (one scalar per selected column) and
// make_csv_dataset ((features, label) batches, built in csv_batches.cpp). Each iteration reopens
// the file and reads it through CsvRecordReader's fixed buffer, so memory does not grow with the
// file.
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/data/csv.h"
#include "tfc/data/csv_impl.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

class CsvNode : public DatasetNode {
public:
    CsvNode(std::string path, CsvOptions options, detail::CsvPlan plan, const char* where)
        : path_(std::move(path)), options_(std::move(options)), plan_(std::move(plan)),
          where_(where) {}

    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            const CsvNode* node;
            std::unique_ptr<detail::CsvRecordReader> reader;
            std::vector<std::string> record;
            std::optional<Element> next() override {
                if (!reader || !reader->next(record)) {
                    reader.reset();  // closes the file as soon as it is read
                    return std::nullopt;
                }
                return node->convert(record, *reader);
            }
        };
        auto it = std::make_unique<It>();
        it->node = this;
        it->reader = std::make_unique<detail::CsvRecordReader>(path_, options_, where_);
        if (options_.header) {
            std::vector<std::string> header;
            it->reader->next(header);
        }
        return it;
    }

private:
    Element convert(const std::vector<std::string>& record,
                    const detail::CsvRecordReader& reader) const {
        detail::check_field_count(record, plan_, reader, where_);
        const detail::CsvLocation at = reader.location();
        const std::size_t k = plan_.selected.size();
        Element out;
        out.reserve(k);
        for (std::size_t j = 0; j < k; ++j) out.push_back(scalar(record, j, at));
        return out;
    }

    detail::CsvValue value(const std::vector<std::string>& record, std::size_t j,
                           const detail::CsvLocation& at) const {
        const std::size_t col = plan_.selected[j];
        return detail::convert(record[col], plan_.defaults[j], options_.na_value, at,
                               plan_.names[col]);
    }

    Tensor scalar(const std::vector<std::string>& record, std::size_t j,
                  const detail::CsvLocation& at) const {
        const auto v = value(record, j, at);
        if (plan_.defaults[j].type == ColumnType::int64) {
            Tensor t = Tensor::empty({}, DType::int64);
            t.data<std::int64_t>()[0] = v.i;
            return t;
        }
        Tensor t = Tensor::empty({}, DType::float32);
        t.data<float>()[0] = static_cast<float>(v.f);
        return t;
    }

    std::string path_;
    CsvOptions options_;
    detail::CsvPlan plan_;
    const char* where_;
};

// Reads the header and resolves every selected column's type (declared, or inferred from the
// first num_rows_for_inference rows). String columns are refused: they cannot be tensors.
detail::CsvPlan resolve_plan(const std::string& path, const CsvOptions& options,
                             const char* where) {
    detail::CsvRecordReader reader(path, options, where);
    std::vector<std::string> first;
    detail::CsvPlan plan = detail::make_plan(reader, options, where, &first);
    const std::size_t k = plan.selected.size();
    if (plan.defaults.empty()) {
        TFC_CHECK(options.num_rows_for_inference > 0, where,
                  "num_rows_for_inference must be positive to infer types",
                  std::to_string(options.num_rows_for_inference), ">= 1",
                  "raise it, or declare the types in column_defaults");
        std::vector<std::vector<std::string>> rows;
        if (!options.header && !first.empty()) rows.push_back(first);
        std::vector<std::string> record;
        while (static_cast<std::int64_t>(rows.size()) < options.num_rows_for_inference &&
               reader.next(record)) {
            detail::check_field_count(record, plan, reader, where);
            rows.push_back(record);
        }
        for (std::size_t j = 0; j < k; ++j) {
            std::vector<const std::string*> values;
            for (const auto& r : rows) values.push_back(&r[plan.selected[j]]);
            ColumnDefault spec;
            spec.type = detail::infer_type(values, options.na_value);
            plan.defaults.push_back(std::move(spec));
        }
    }
    for (std::size_t j = 0; j < k; ++j) {
        TFC_CHECK(plan.defaults[j].type != ColumnType::string, where,
                  "a string column cannot be a tensor",
                  "column '" + plan.names[plan.selected[j]] + "' of '" + path + "'",
                  "int64 or float32 columns",
                  "leave it out with select_columns, or use read_csv for text columns");
    }
    return plan;
}

}  // namespace

Dataset csv_dataset(const std::string& path, const CsvOptions& options) {
    const char* where = "csv_dataset";
    detail::CsvPlan plan = resolve_plan(path, options, where);
    return Dataset(std::make_shared<CsvNode>(path, options, std::move(plan), where));
}

Dataset make_csv_dataset(const std::string& path, std::int64_t batch_size,
                         const MakeCsvDatasetOptions& options) {
    const char* where = "make_csv_dataset";
    detail::check_positive(batch_size, where, "batch_size");
    detail::CsvPlan plan = resolve_plan(path, options.csv, where);
    detail::CsvBatchSpec spec{.batch_size = batch_size,
                              .drop_remainder = options.drop_remainder,
                              .epochs = options.num_epochs};
    if (!options.label_name.empty()) {
        for (std::size_t j = 0; j < plan.selected.size(); ++j) {
            if (plan.names[plan.selected[j]] == options.label_name) {
                spec.label = static_cast<std::int64_t>(j);
            }
        }
        TFC_CHECK(spec.label >= 0, where, "label_name is not a selected column",
                  "'" + options.label_name + "'", "a column of '" + path + "'",
                  "check the name, and include it in select_columns");
    }
    TFC_CHECK(plan.selected.size() > (spec.label >= 0 ? 1u : 0u), where,
              "no feature columns left", "only the label column", "at least one feature",
              "select more columns");
    if (options.shuffle) {
        detail::check_positive(options.shuffle_buffer_size, where, "shuffle_buffer_size");
        spec.shuffle = true;
        spec.buffer_size = options.shuffle_buffer_size;
        // As Dataset.shuffle: without a seed, one is drawn from the global generator now.
        spec.seed = options.shuffle_seed ? *options.shuffle_seed : global_generator().next_u64();
    }
    TFC_CHECK(options.num_epochs >= -1, where, "num_epochs must be -1 (forever) or >= 0",
              "num_epochs=" + std::to_string(options.num_epochs), "-1, 0, 1, ...",
              "pass -1 to repeat forever");
    Dataset ds(detail::make_csv_batch_node(path, options.csv, std::move(plan), spec, where));
    if (options.prefetch_buffer_size != 0) ds = ds.prefetch(options.prefetch_buffer_size);
    return ds;
}

}  // namespace tfc::data
