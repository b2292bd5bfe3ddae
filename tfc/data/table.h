// Table and Column: named, equal-length columns read from CSV or JSON files. Numeric columns
// hold a 1-D tensor (int64 or float32; NaN marks a missing float); string columns hold
// std::vector<std::string>, since tfc::Tensor has no string dtype.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc::data {

enum class ColumnType : std::uint8_t { int64, float32, string };
const char* column_type_name(ColumnType type);  // "int64", "float32", "string"

class Column {
public:
    Column(std::string name, Tensor values);  // a 1-D int64 or float32 tensor
    Column(std::string name, std::vector<std::string> strings);

    const std::string& name() const { return name_; }
    ColumnType type() const { return type_; }
    bool is_numeric() const { return type_ != ColumnType::string; }
    std::int64_t size() const;
    const Tensor& values() const;                     // numeric columns; throws for strings
    const std::vector<std::string>& strings() const;  // string columns; throws for numbers
    double number(std::int64_t row) const;            // numeric columns, as double

private:
    std::string name_;
    ColumnType type_;
    Tensor values_;
    std::vector<std::string> strings_;
};

class Table {
public:
    Table() = default;
    explicit Table(std::vector<Column> columns);  // equal lengths and unique names, or throws

    std::int64_t num_rows() const { return num_rows_; }
    std::size_t num_columns() const { return columns_.size(); }
    const std::vector<Column>& columns() const { return columns_; }
    std::vector<std::string> column_names() const;
    bool has_column(const std::string& name) const;
    const Column& column(const std::string& name) const;  // throws naming the known columns
    const Column& operator[](const std::string& name) const { return column(name); }

    Table take_rows(const std::vector<std::int64_t>& rows) const;
    // Numeric columns side by side as a (num_rows, names.size()) tensor (pandas df[names].values).
    Tensor to_tensor(const std::vector<std::string>& names, DType dtype = DType::float32) const;

private:
    std::vector<Column> columns_;
    std::int64_t num_rows_ = 0;
};

}  // namespace tfc::data
