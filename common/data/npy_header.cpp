#include "common/data/npy_header.h"

#include "common/platform/errors.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <optional>

namespace mnistbench {

std::string excerpt(std::string_view text) {
  constexpr std::size_t kShown = 20;
  std::string shown;
  for (char c : text.substr(0, kShown)) shown += (c >= ' ' && c <= '~') ? c : '?';
  return text.size() > kShown ? shown + "..." : shown;
}

namespace {

// A cursor over the header text. Every method either consumes what it
// expects or throws, naming the byte offset where the header went wrong.
class Parser {
 public:
  Parser(std::string_view text, const std::string& name) : text_(text), name_(name) {}

  [[noreturn]] void fail(const std::string& complaint) const {
    throw DataError(fmt::format("{}: header: {}", name_, complaint));
  }

  // Skips blanks, then consumes `c` if it is next.
  bool take(char c) {
    skip_blanks();
    if (at_end() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  void expect(char c) {
    if (!take(c)) fail(fmt::format("expected '{}' at byte {}, found {}", c, pos_, next_char()));
  }

  // A quoted string without escapes: NumPy's keys and type names need none.
  std::string_view string() {
    skip_blanks();
    const char quote = at_end() ? '\0' : text_[pos_];
    if (quote != '\'' && quote != '"') {
      fail(fmt::format("expected a quoted string at byte {}, found {}", pos_, next_char()));
    }
    const std::size_t close = text_.find(quote, pos_ + 1);
    if (close == std::string_view::npos) fail(fmt::format("string at byte {} never ends", pos_));
    const std::string_view value = text_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    return value;
  }

  bool boolean() {
    skip_blanks();
    for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      if (text_.substr(pos_).starts_with(word)) {
        pos_ += std::string_view(word).size();
        return value;
      }
    }
    fail(fmt::format("expected True or False at byte {}, found {}", pos_, next_char()));
  }

  // "(10, 784)", "(10,)" or "()".
  std::vector<std::uint64_t> tuple() {
    expect('(');
    std::vector<std::uint64_t> values;
    while (!take(')')) {
      values.push_back(integer());
      if (!take(',')) {
        expect(')');
        break;
      }
    }
    return values;
  }

  // Only blanks may follow the dict: NumPy pads the header with spaces and a newline.
  void expect_end() {
    skip_blanks();
    if (!at_end()) fail(fmt::format("unexpected {} at byte {} after the dict", next_char(), pos_));
  }

 private:
  std::uint64_t integer() {
    skip_blanks();
    std::uint64_t value = 0;
    const char* begin = text_.data() + pos_;
    const auto [stop, error] = std::from_chars(begin, text_.data() + text_.size(), value);
    if (error == std::errc::invalid_argument) {
      fail(fmt::format("expected a dimension at byte {}, found {}", pos_, next_char()));
    }
    if (error == std::errc::result_out_of_range) {
      fail(fmt::format("dimension at byte {} does not fit in 64 bits", pos_));
    }
    pos_ += std::size_t(stop - begin);
    return value;
  }

  void skip_blanks() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
                         text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool at_end() const { return pos_ >= text_.size(); }

  std::string next_char() const {
    return at_end() ? std::string("the end") : fmt::format("'{}'", excerpt(text_.substr(pos_, 1)));
  }

  std::string_view text_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

}  // namespace

NpyHeader parse_npy_header(std::string_view text, const std::string& name) {
  Parser parser(text, name);
  std::optional<std::string> descr;
  std::optional<bool> fortran_order;
  std::optional<std::vector<std::uint64_t>> shape;
  const auto once = [&](const auto& slot, std::string_view key) {
    if (slot) parser.fail(fmt::format("key '{}' appears twice", key));
  };

  parser.expect('{');
  while (!parser.take('}')) {
    const std::string_view key = parser.string();
    parser.expect(':');
    if (key == "descr") {
      once(descr, key);
      descr = std::string(parser.string());
    } else if (key == "fortran_order") {
      once(fortran_order, key);
      fortran_order = parser.boolean();
    } else if (key == "shape") {
      once(shape, key);
      shape = parser.tuple();
    } else {
      parser.fail(fmt::format("unexpected key '{}'", excerpt(key)));
    }
    if (!parser.take(',')) {
      parser.expect('}');
      break;
    }
  }
  parser.expect_end();

  if (!descr) parser.fail("no 'descr'");
  if (!fortran_order) parser.fail("no 'fortran_order'");
  if (!shape) parser.fail("no 'shape'");
  return NpyHeader{*descr, *fortran_order, *shape};
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  return fmt::format("({}{})", fmt::join(shape, ","), shape.size() == 1 ? "," : "");
}

}  // namespace mnistbench
