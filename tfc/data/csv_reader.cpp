// read_csv: a whole CSV file as a Table, with declared or inferred column types.
#include "tfc/core/error.h"
#include "tfc/data/csv.h"
#include "tfc/data/csv_impl.h"

namespace tfc::data {

ColumnDefault ColumnDefault::int64(std::optional<std::int64_t> value) {
    ColumnDefault d{.type = ColumnType::int64};
    if (value) d.value = *value;
    return d;
}

ColumnDefault ColumnDefault::float32(std::optional<double> value) {
    ColumnDefault d{.type = ColumnType::float32};
    if (value) d.value = *value;
    return d;
}

ColumnDefault ColumnDefault::string(std::optional<std::string> value) {
    ColumnDefault d{.type = ColumnType::string};
    if (value) d.value = *value;
    return d;
}

Table read_csv(const std::string& path, const CsvOptions& options) {
    const char* where = "read_csv";
    detail::CsvRecordReader reader(path, options, where);
    std::vector<std::string> first;
    detail::CsvPlan plan = detail::make_plan(reader, options, where, &first);
    const std::size_t k = plan.selected.size();

    std::vector<std::vector<std::string>> fields(k);
    std::vector<std::int64_t> lines;
    std::vector<std::string> record;
    auto keep = [&](std::vector<std::string>& rec, std::int64_t line) {
        detail::check_field_count(rec, plan, reader, where);
        for (std::size_t j = 0; j < k; ++j) fields[j].push_back(std::move(rec[plan.selected[j]]));
        lines.push_back(line);
    };
    if (!options.header && !first.empty()) keep(first, reader.record_line());
    while (reader.next(record)) keep(record, reader.record_line());

    std::vector<Column> columns;
    for (std::size_t j = 0; j < k; ++j) {
        const std::string& name = plan.names[plan.selected[j]];
        ColumnDefault spec;
        if (!plan.defaults.empty()) {
            spec = plan.defaults[j];
        } else {
            std::vector<const std::string*> values;
            values.reserve(fields[j].size());
            for (const auto& f : fields[j]) values.push_back(&f);
            spec.type = detail::infer_type(values, options.na_value);
        }
        const auto n = static_cast<std::int64_t>(fields[j].size());
        if (spec.type == ColumnType::string) {
            std::vector<std::string> strings = std::move(fields[j]);
            if (const auto* d = std::get_if<std::string>(&spec.value)) {
                for (auto& s : strings) {
                    if (detail::is_missing(s, options.na_value)) s = *d;
                }
            }
            columns.emplace_back(name, std::move(strings));
            continue;
        }
        const bool is_int = spec.type == ColumnType::int64;
        Tensor t = Tensor::empty({n}, is_int ? DType::int64 : DType::float32);
        for (std::int64_t r = 0; r < n; ++r) {
            const detail::CsvLocation at{where, reader.path(), lines[r]};
            const auto v = detail::convert(fields[j][r], spec, options.na_value, at, name);
            if (is_int) {
                t.data<std::int64_t>()[r] = v.i;
            } else {
                t.data<float>()[r] = static_cast<float>(v.f);
            }
        }
        columns.emplace_back(name, std::move(t));
    }
    return Table(std::move(columns));
}

}  // namespace tfc::data
