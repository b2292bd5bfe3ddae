#include "tfc/data/table.h"

#include <set>

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc::data {

const char* column_type_name(ColumnType type) {
    switch (type) {
        case ColumnType::int64: return "int64";
        case ColumnType::float32: return "float32";
        case ColumnType::string: return "string";
    }
    return "?";
}

Column::Column(std::string name, Tensor values)
    : name_(std::move(name)), type_(ColumnType::float32), values_(std::move(values)) {
    TFC_CHECK(values_.defined() && values_.rank() == 1 &&
                  (values_.dtype() == DType::int64 || values_.dtype() == DType::float32),
              "Column", "a numeric column needs a 1-D int64 or float32 tensor",
              "'" + name_ + "': " +
                  (values_.defined() ? std::string(dtype_name(values_.dtype())) + " " +
                                           shape_str(values_.shape())
                                     : std::string("undefined")),
              "shape (rows,), dtype int64 or float32", "reshape or cast the values");
    type_ = values_.dtype() == DType::int64 ? ColumnType::int64 : ColumnType::float32;
}

Column::Column(std::string name, std::vector<std::string> strings)
    : name_(std::move(name)), type_(ColumnType::string), strings_(std::move(strings)) {}

std::int64_t Column::size() const {
    return type_ == ColumnType::string ? static_cast<std::int64_t>(strings_.size())
                                       : values_.dim(0);
}

const Tensor& Column::values() const {
    TFC_CHECK(is_numeric(), "Column.values", "column '" + name_ + "' holds strings",
              "a string column", "an int64 or float32 column",
              "use strings(), or declare the column numeric in column_defaults");
    return values_;
}

const std::vector<std::string>& Column::strings() const {
    TFC_CHECK(!is_numeric(), "Column.strings", "column '" + name_ + "' is numeric",
              std::string("a ") + column_type_name(type_) + " column", "a string column",
              "use values()");
    return strings_;
}

double Column::number(std::int64_t row) const {
    const Tensor& v = values();
    TFC_CHECK(row >= 0 && row < v.dim(0), "Column.number", "row index out of range",
              std::to_string(row), "0 <= row < " + std::to_string(v.dim(0)), "check the index");
    return v.at(row);
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {
    std::set<std::string> names;
    for (const Column& c : columns_) {
        TFC_CHECK(names.insert(c.name()).second, "Table", "duplicate column name",
                  "'" + c.name() + "' twice", "unique names", "rename one of the columns");
        TFC_CHECK(c.size() == columns_[0].size(), "Table", "columns differ in length",
                  "'" + c.name() + "' has " + std::to_string(c.size()) + " rows, '" +
                      columns_[0].name() + "' has " + std::to_string(columns_[0].size()),
                  "equal lengths", "give every column one value per row");
    }
    num_rows_ = columns_.empty() ? 0 : columns_[0].size();
}

std::vector<std::string> Table::column_names() const {
    std::vector<std::string> out;
    for (const Column& c : columns_) out.push_back(c.name());
    return out;
}

bool Table::has_column(const std::string& name) const {
    for (const Column& c : columns_) {
        if (c.name() == name) return true;
    }
    return false;
}

const Column& Table::column(const std::string& name) const {
    for (const Column& c : columns_) {
        if (c.name() == name) return c;
    }
    std::string known;
    for (const Column& c : columns_) known += (known.empty() ? "'" : ", '") + c.name() + "'";
    fail("Table.column", "no such column", "'" + name + "'", "one of " + known,
         "check the spelling (names are case-sensitive)");
}

Table Table::take_rows(const std::vector<std::int64_t>& rows) const {
    for (std::int64_t r : rows) {
        TFC_CHECK(r >= 0 && r < num_rows_, "Table.take_rows", "row index out of range",
                  std::to_string(r), "0 <= row < " + std::to_string(num_rows_),
                  "check the indices");
    }
    std::vector<Column> out;
    for (const Column& c : columns_) {
        if (c.is_numeric()) {
            out.emplace_back(c.name(), ops::take_rows(c.values(), rows));
        } else {
            std::vector<std::string> s;
            s.reserve(rows.size());
            for (std::int64_t r : rows) s.push_back(c.strings()[static_cast<std::size_t>(r)]);
            out.emplace_back(c.name(), std::move(s));
        }
    }
    return Table(std::move(out));
}

Tensor Table::to_tensor(const std::vector<std::string>& names, DType dtype) const {
    TFC_CHECK(!names.empty(), "Table.to_tensor", "no columns named", "0 names",
              "at least one column name", "pass the feature columns");
    const std::size_t k = names.size();
    std::vector<double> values(static_cast<std::size_t>(num_rows_) * k);
    for (std::size_t j = 0; j < k; ++j) {
        const auto col = column(names[j]).values().to_doubles();
        for (std::int64_t r = 0; r < num_rows_; ++r) values[r * k + j] = col[r];
    }
    return Tensor::from_doubles(values, {num_rows_, static_cast<std::int64_t>(k)}, dtype);
}

}  // namespace tfc::data
