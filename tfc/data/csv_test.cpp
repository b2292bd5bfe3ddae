#include "tfc/data/csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"

namespace tfc::data {
namespace {

namespace fs = std::filesystem;

std::string datasets() { return testing::shared_dir() + "/datasets"; }
std::string penguins_path() { return datasets() + "/basic/penguins/penguins.csv"; }

std::string write_temp(const std::string& name, const std::string& content) {
    const std::string path = (fs::temp_directory_path() / ("tfc_csv_test_" + name)).string();
    std::ofstream f(path, std::ios::binary);
    f << content;
    return path;
}

// Runs fn, expects a tfc::Error whose message contains every piece.
template <typename Fn>
void expect_error(Fn fn, const std::vector<std::string>& pieces) {
    try {
        fn();
        ADD_FAILURE() << "expected a tfc::Error";
    } catch (const Error& e) {
        for (const auto& p : pieces) {
            EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
                << "missing '" << p << "' in: " << e.what();
        }
    }
}

// Counts and missing values from ../shared/datasets/README.md (penguins section).
TEST(ReadCsv, PenguinsMatchesItsReadme) {
    TFC_SKIP_WITHOUT_SHARED();
    Table t = read_csv(penguins_path());
    EXPECT_EQ(t.num_rows(), 344);
    EXPECT_EQ(t.column_names(),
              (std::vector<std::string>{"species", "island", "bill_length_mm", "bill_depth_mm",
                                        "flipper_length_mm", "body_mass_g", "sex", "year", "split"}));
    EXPECT_EQ(t["species"].type(), ColumnType::string);
    EXPECT_EQ(t["bill_length_mm"].type(), ColumnType::float32);
    EXPECT_EQ(t["flipper_length_mm"].type(), ColumnType::float32);  // integers with gaps
    EXPECT_EQ(t["year"].type(), ColumnType::int64);
    std::map<std::string, int> species, split;
    for (const auto& s : t["species"].strings()) ++species[s];
    for (const auto& s : t["split"].strings()) ++split[s];
    EXPECT_EQ(species["Adelie"], 152);
    EXPECT_EQ(species["Chinstrap"], 68);
    EXPECT_EQ(species["Gentoo"], 124);
    EXPECT_EQ(split["train"], 274);
    EXPECT_EQ(split["test"], 70);
    int nan_rows = 0, no_sex = 0;
    for (std::int64_t r = 0; r < t.num_rows(); ++r) {
        nan_rows += std::isnan(t["bill_length_mm"].number(r)) ? 1 : 0;
        no_sex += t["sex"].strings()[r].empty() ? 1 : 0;
    }
    EXPECT_EQ(nan_rows, 2);
    EXPECT_EQ(no_sex, 11);
}

TEST(ReadCsv, SelectColumnsAndDeclaredDefaults) {
    TFC_SKIP_WITHOUT_SHARED();
    Table t = read_csv(penguins_path(),
                       {.select_columns = {"body_mass_g", "sex", "year"},
                        .column_defaults = {ColumnDefault::float32(-1.0),
                                            ColumnDefault::string("unknown"),
                                            ColumnDefault::int64()}});
    EXPECT_EQ(t.column_names(), (std::vector<std::string>{"body_mass_g", "sex", "year"}));
    EXPECT_EQ(t["body_mass_g"].number(3), -1.0);  // the fourth data row has no measurements
    EXPECT_EQ(t["sex"].strings()[3], "unknown");
    EXPECT_EQ(t["year"].number(3), 2007);
    expect_error([] { read_csv(penguins_path(), {.select_columns = {"Species"}}); },
                 {"select_columns", "'Species'", "'species'"});
    // An int64 column without a default refuses the missing values, naming line and column.
    expect_error(
        [] {
            read_csv(penguins_path(), {.select_columns = {"flipper_length_mm"},
                                       .column_defaults = {ColumnDefault::int64()}});
        },
        {"missing value", "'flipper_length_mm'", "line 5"});
    expect_error([] { read_csv(penguins_path(), {.select_columns = {"species"},
                                                 .column_defaults = {ColumnDefault::float32()}}); },
                 {"non-numeric", "'species'", "line 2", "'Adelie'"});
}

// Row and class counts from ../shared/datasets/README.md (spam-ham: 1,209 test rows, 364
// spam). The texts contain quoted commas, quotes and long fields.
TEST(ReadCsv, TextCsvWithQuotedFields) {
    TFC_SKIP_WITHOUT_SHARED();
    const std::string path = datasets() + "/text/spam-ham/test.csv";
    Table t = read_csv(path);
    EXPECT_EQ(t.num_rows(), 1209);
    EXPECT_EQ(t["text"].type(), ColumnType::string);
    EXPECT_EQ(t["label"].type(), ColumnType::int64);
    double spam = 0;
    for (double v : t["label"].values().to_doubles()) spam += v;
    EXPECT_EQ(spam, 364);
    // The streaming dataset agrees with the table.
    Dataset ds = csv_dataset(path, {.select_columns = {"label"}});
    std::int64_t n = 0, s = 0;
    for (const Element& e : ds) {
        ++n;
        s += static_cast<std::int64_t>(e[0].item());
    }
    EXPECT_EQ(n, 1209);
    EXPECT_EQ(s, 364);
    expect_error([&] { csv_dataset(path); }, {"string column", "'text'"});
}

TEST(ReadCsv, Rfc4180QuotesEscapesAndEmbeddedNewlines) {
    const std::string path = write_temp(
        "rfc.csv", "name,n\r\n\"line1\nline2\",5\r\n\"say \"\"hi\"\", ok\",6\n\"\",7\n\nplain,8");
    Table t = read_csv(path);
    ASSERT_EQ(t.num_rows(), 4);
    EXPECT_EQ(t["name"].strings()[0], "line1\nline2");
    EXPECT_EQ(t["name"].strings()[1], "say \"hi\", ok");
    EXPECT_EQ(t["name"].strings()[2], "");
    EXPECT_EQ(t["name"].strings()[3], "plain");
    EXPECT_EQ(t["n"].values().to_doubles(), (std::vector<double>{5, 6, 7, 8}));
    // Line numbers count physical lines, so an error after the embedded newline says line 6.
    const std::string bad = write_temp("rfc_bad.csv", "a,b\n\"x\ny\",1\n\"q\"\"\",2\n\n4\n");
    expect_error([&] { read_csv(bad); }, {"wrong number of fields", "line 6", "1 fields", "2"});
}

TEST(ReadCsv, EveryErrorNamesTheLine) {
    expect_error([] { read_csv(write_temp("e1.csv", "a,b\n1,\"abc\n2,3\n")); },
                 {"unterminated quoted field", "line 2"});
    expect_error([] { read_csv(write_temp("e2.csv", "a,b\n1,2\n3\n")); },
                 {"wrong number of fields", "line 3"});
    expect_error([] { read_csv(write_temp("e3.csv", "a,b\n1,2\n3,4,5\n")); },
                 {"wrong number of fields", "line 3", "3 fields"});
    expect_error(
        [] {
            read_csv(write_temp("e4.csv", "a,b\n1,2\nx,3\n"),
                     {.column_defaults = {ColumnDefault::float32(), ColumnDefault::float32()}});
        },
        {"non-numeric value in float32 column 'a'", "line 3", "'x'"});
    expect_error(
        [] {
            read_csv(write_temp("e5.csv", "a\n1\n2.5\n"), {.column_defaults = {ColumnDefault::int64()}});
        },
        {"non-integer value in int64 column 'a'", "line 3"});
    expect_error([] { read_csv(write_temp("e6.csv", "a\nab\"c\n")); },
                 {"quote inside an unquoted field", "line 2"});
    expect_error([] { read_csv(write_temp("e7.csv", "a,b\n\"x\"y,1\n")); },
                 {"after a closing quote", "line 2"});
    expect_error([] { read_csv(write_temp("e8.csv", "a,a\n1,2\n")); }, {"duplicate column name"});
    expect_error([] { read_csv(write_temp("e9.csv", "")); }, {"empty"});
    expect_error([] { read_csv("/nonexistent/file.csv"); }, {"file not found"});
    // A runaway quote stops at max_record_bytes instead of reading the whole file into memory.
    expect_error([] { read_csv(write_temp("e10.csv", "a\n\"" + std::string(5000, 'x') + "\n"),
                               {.max_record_bytes = 1000}); },
                 {"max_record_bytes", "line 2"});
    // The streaming dataset reports the same errors while iterating.
    expect_error([] { csv_dataset(write_temp("e11.csv", "a,b\n1,2\n3,4\n5,x\n"),
                                  {.column_defaults = {ColumnDefault::int64(),
                                                       ColumnDefault::int64()}}).as_vector(); },
                 {"non-integer value in int64 column 'b'", "line 4"});
}

TEST(ReadCsv, OptionsDelimiterHeaderlessInferenceBom) {
    Table t = read_csv(write_temp("semi.csv", "\xEF\xBB\xBFx;y;z\n1;2.5;a\n;3;b\n"),
                       {.field_delim = ';'});
    EXPECT_EQ(t.column_names(), (std::vector<std::string>{"x", "y", "z"}));
    EXPECT_EQ(t["x"].type(), ColumnType::float32);  // an integer column with a gap
    EXPECT_TRUE(std::isnan(t["x"].number(1)));
    EXPECT_EQ(t["y"].type(), ColumnType::float32);
    EXPECT_EQ(t["z"].type(), ColumnType::string);
    Table h = read_csv(write_temp("nohdr.csv", "1,2\n3,4\n"), {.header = false});
    EXPECT_EQ(h.column_names(), (std::vector<std::string>{"column_0", "column_1"}));
    EXPECT_EQ(h["column_1"].values().to_doubles(), (std::vector<double>{2, 4}));
    Table n = read_csv(write_temp("nohdr2.csv", "1,2\n3,4\n"),
                       {.header = false, .column_names = {"p", "q"}, .select_columns = {"q", "p"}});
    EXPECT_EQ(n.column_names(), (std::vector<std::string>{"q", "p"}));
    Table na = read_csv(write_temp("na.csv", "v\n1.5\nNA\n"), {.na_value = "NA"});
    EXPECT_TRUE(std::isnan(na["v"].number(1)));
    Table raw = read_csv(write_temp("noquote.csv", "v\n5\"10\n"), {.use_quote_delim = false});
    EXPECT_EQ(raw["v"].strings()[0], "5\"10");
}

TEST(CsvDataset, StreamsPenguinsWithTypes) {
    TFC_SKIP_WITHOUT_SHARED();
    Dataset ds = csv_dataset(penguins_path(),
                             {.select_columns = {"bill_length_mm", "year"}});
    auto rows = ds.as_vector();
    ASSERT_EQ(rows.size(), 344u);
    EXPECT_EQ(rows[0][0].dtype(), DType::float32);
    EXPECT_EQ(rows[0][1].dtype(), DType::int64);
    Table t = read_csv(penguins_path());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const double want = t["bill_length_mm"].number(static_cast<std::int64_t>(r));
        if (std::isnan(want)) {
            EXPECT_TRUE(std::isnan(rows[r][0].item()));
        } else {
            EXPECT_EQ(rows[r][0].item(), want);
        }
    }
    // make_csv_dataset: shuffled (features, label) batches; one epoch covers every row once.
    Dataset batches = make_csv_dataset(
        penguins_path(), 32,
        {.csv = {.select_columns = {"bill_depth_mm", "body_mass_g", "year"}},
         .label_name = "year", .num_epochs = 1, .shuffle_seed = 3});
    std::int64_t count = 0;
    double year_sum = 0;
    for (const Element& b : batches) {
        ASSERT_EQ(b.size(), 2u);
        EXPECT_EQ(b[0].dim(1), 2);
        count += b[0].dim(0);
        for (double y : b[1].to_doubles()) year_sum += y;
    }
    EXPECT_EQ(count, 344);
    double want_sum = 0;
    for (double y : t["year"].values().to_doubles()) want_sum += y;
    EXPECT_EQ(year_sum, want_sum);
    EXPECT_THROW(make_csv_dataset(penguins_path(), 8, {.label_name = "nope"}), Error);
}

// make_csv_dataset reads its batches straight from the file (csv_batches.cpp). Its elements must
// be those of the composition it stands for: csv_dataset rows -> (features float32, label) ->
// shuffle -> repeat -> batch, for every option that changes the stream.
Dataset composed_csv_batches(const std::string& path, std::int64_t batch,
                             const MakeCsvDatasetOptions& o) {
    Dataset rows = csv_dataset(path, o.csv);
    const std::vector<std::string> names = o.csv.select_columns;
    std::int64_t label = -1;
    for (std::size_t j = 0; j < names.size(); ++j) {
        if (names[j] == o.label_name) label = static_cast<std::int64_t>(j);
    }
    rows = rows.map([label](const Element& e) {
        const auto k = static_cast<std::int64_t>(e.size());
        Tensor x = Tensor::empty({k - (label >= 0 ? 1 : 0)}, DType::float32);
        float* f = x.data<float>();
        for (std::int64_t j = 0; j < k; ++j) {
            if (j == label) continue;
            const Tensor& t = e[static_cast<std::size_t>(j)];
            *f++ = t.dtype() == DType::int64 ? static_cast<float>(t.data<std::int64_t>()[0])
                                             : t.data<float>()[0];
        }
        if (label < 0) return Element{x};
        return Element{x, e[static_cast<std::size_t>(label)]};
    });
    if (o.shuffle) rows = rows.shuffle(o.shuffle_buffer_size, {.seed = o.shuffle_seed});
    if (o.num_epochs != 1) rows = rows.repeat(o.num_epochs);
    return rows.batch(batch, o.drop_remainder);
}

// Same components, dtypes, shapes and bytes (NaNs included).
void expect_same_elements(const std::vector<Element>& got, const std::vector<Element>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i].size(), want[i].size()) << "element " << i;
        for (std::size_t c = 0; c < got[i].size(); ++c) {
            const Tensor& a = got[i][c];
            const Tensor& b = want[i][c];
            ASSERT_EQ(a.dtype(), b.dtype()) << "element " << i << " component " << c;
            ASSERT_EQ(a.shape(), b.shape()) << "element " << i << " component " << c;
            EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0)
                << "element " << i << " component " << c;
        }
    }
}

TEST(CsvDataset, MakeCsvDatasetEqualsShuffleRepeatBatch) {
    std::string text = "a,n,b,li,lf\n";
    for (int r = 0; r < 237; ++r) {
        text += (r % 11 == 3 ? std::string() : std::to_string(r * 0.25 - 7)) + ",";
        text += std::to_string((r * 7919) % 1000 - 500) + "," + std::to_string(r % 13) + ".5,";
        text += std::to_string(r % 5) + "," + (r % 17 == 0 ? std::string() : "0.125") + "\n";
    }
    const std::string path = write_temp("batches.csv", text);
    struct Case {
        std::int64_t batch;
        bool shuffle;
        std::int64_t buffer;
        std::int64_t epochs;
        bool drop;
        std::vector<std::string> columns;
        std::string label;
    };
    const std::vector<Case> cases = {
        {32, true, 10000, 1, false, {"a", "n", "b", "li"}, "li"},
        {32, true, 50, 3, false, {"a", "n", "b", "li"}, "li"},
        {7, true, 1, 2, true, {"li", "a", "b"}, "li"},
        {64, false, 1, 2, false, {"a", "lf", "n"}, "lf"},
        {1, true, 16, 1, false, {"b", "a"}, ""},
        {1000, true, 100, 2, false, {"n", "b", "lf"}, "lf"},
        {1000, true, 100, 2, true, {"n", "b", "lf"}, "lf"},
        {10, true, 237, -1, false, {"a", "n", "li"}, "li"},
        {10, false, 1, -1, true, {"a", "n", "li"}, "n"},
        {5, true, 3, 0, false, {"a", "b"}, "b"},
    };
    for (const Case& c : cases) {
        for (bool seeded : {true, false}) {
            SCOPED_TRACE("batch " + std::to_string(c.batch) + " buffer " +
                         std::to_string(c.buffer) + " epochs " + std::to_string(c.epochs) +
                         " label '" + c.label + "'" + (seeded ? " seeded" : " global seed"));
            MakeCsvDatasetOptions o{.csv = {.select_columns = c.columns},
                                    .label_name = c.label,
                                    .num_epochs = c.epochs,
                                    .shuffle = c.shuffle,
                                    .shuffle_buffer_size = c.buffer,
                                    .prefetch_buffer_size = 0,
                                    .drop_remainder = c.drop};
            if (seeded) o.shuffle_seed = 7;
            set_random_seed(11);  // the unseeded shuffle draws its seed from the global generator
            const Dataset got = make_csv_dataset(path, c.batch, o);
            set_random_seed(11);
            const Dataset want = composed_csv_batches(path, c.batch, o);
            EXPECT_EQ(got.cardinality(), want.cardinality());
            for (int pass = 0; pass < 2; ++pass) {  // the second pass reshuffles
                const std::int64_t n = c.epochs < 0 ? 60 : -1;
                expect_same_elements(got.take(n).as_vector(), want.take(n).as_vector());
            }
        }
    }
    // An error surfaces after the same batches, with the same message (here through prefetch).
    std::string rows = "x,y\n";
    for (int r = 0; r < 300; ++r) {
        rows += std::to_string(r) + "," + (r == 250 ? "oops" : "1") + "\n";
    }
    const std::string broken = write_temp("batches_broken.csv", rows);
    auto drain = [](const Dataset& ds, std::int64_t& batches) -> std::string {
        try {
            for (const Element& b : ds) {
                (void)b;
                ++batches;
            }
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    };
    const MakeCsvDatasetOptions o{.csv = {.select_columns = {"x", "y"}},
                                  .label_name = "y",
                                  .num_epochs = 1,
                                  .shuffle_buffer_size = 20,
                                  .shuffle_seed = 3};
    std::int64_t got_batches = 0, want_batches = 0;
    const std::string got = drain(make_csv_dataset(broken, 16, o), got_batches);
    const std::string want = drain(composed_csv_batches(broken, 16, o), want_batches);
    EXPECT_NE(got.find("line 252"), std::string::npos) << got;
    EXPECT_EQ(got.rfind("[make_csv_dataset] ", 0), 0u) << got;
    EXPECT_EQ(got.substr(got.find(']')), want.substr(want.find(']')));  // [csv_dataset] there
    EXPECT_EQ(got_batches, want_batches);
    EXPECT_GT(got_batches, 0);
}

// The course's windowed_dataset on the real sunspots series: window(w + 1, shift 1,
// drop_remainder) -> flat_map(batch(w + 1)) -> (x = first w, y = last).
TEST(CsvDataset, SunspotsTimeSeriesWindows) {
    TFC_SKIP_WITHOUT_SHARED();
    const std::string path = datasets() + "/timeseries/sunspots/monthly-sunspots.csv";
    const std::int64_t w = 30;
    Dataset series = csv_dataset(path, {.select_columns = {"value"}});
    Dataset windows =
        series.window(w + 1, {.shift = 1, .drop_remainder = true})
            .flat_map([&](const Dataset& win) { return win.batch(w + 1); })
            .map([&](const Element& e) {
                const auto v = e[0].to_floats();
                return Element{Tensor::from_vector(std::vector<float>(v.begin(), v.end() - 1), {w}),
                               Tensor::from_vector(std::vector<float>{v.back()}, {})};
            });
    const auto values = read_csv(path)["value"].values().to_doubles();
    ASSERT_EQ(values.size(), 3177u);  // from the datasets README
    auto all = windows.as_vector();
    ASSERT_EQ(static_cast<std::int64_t>(all.size()), 3177 - w);
    for (std::size_t k : {std::size_t{0}, std::size_t{1000}, all.size() - 1}) {
        const auto x = all[k][0].to_doubles();
        for (std::int64_t j = 0; j < w; ++j) EXPECT_FLOAT_EQ(x[j], values[k + j]);
        EXPECT_FLOAT_EQ(all[k][1].item(), values[k + w]);
    }
    auto batched = windows.shuffle(1000, {.seed = 1}).batch(32).prefetch(1).as_vector();
    EXPECT_EQ(batched.size(), static_cast<std::size_t>((3177 - w + 31) / 32));
    EXPECT_EQ(batched[0][0].shape(), (Shape{32, w}));
}

}  // namespace
}  // namespace tfc::data
