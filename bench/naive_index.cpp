/// @file naive_index.cpp
/// The yardstick for indexing speed: the straightforward Xapian loop a first version would
/// write. One thread reads JSON Lines (the bench's normalised rows), indexes title and body
/// with Xapian's defaults (TermGenerator, English stemmer, STEM_SOME, positions), stores the
/// row as document data, adds outlet and date values and lets the database flush at its
/// default threshold. It uses no Clippings code, so it measures what Clippings' indexer gains
/// over plain Xapian on the same machine in the same run.
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <xapian.h>

namespace {

std::string text_field(const nlohmann::json& row, const char* name) {
  auto it = row.find(name);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

Xapian::Document make_document(const nlohmann::json& row, Xapian::TermGenerator& generator) {
  Xapian::Document doc;
  generator.set_document(doc);
  generator.index_text(text_field(row, "title"), 1, "S");
  generator.index_text(text_field(row, "title"), 3);
  generator.increase_termpos();
  generator.index_text(text_field(row, "body"));
  const std::string id = "Q" + text_field(row, "id");
  doc.add_boolean_term(id);
  doc.add_value(0, text_field(row, "date"));
  doc.add_value(1, text_field(row, "outlet"));
  doc.set_data(row.dump());
  return doc;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A plain Xapian indexing loop over JSON Lines: the indexing yardstick"};
  std::string database, input;
  app.add_option("--db", database, "database directory to create (overwritten)")->required();
  app.add_option("INPUT", input, "JSON Lines file")->required()->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  try {
    const auto start = std::chrono::steady_clock::now();
    Xapian::WritableDatabase db{database, Xapian::DB_CREATE_OR_OVERWRITE};
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem{"en"});
    std::ifstream in{input};
    std::string line;
    std::size_t added = 0;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      db.add_document(make_document(nlohmann::json::parse(line), generator));
      ++added;
    }
    db.commit();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << nlohmann::json{{"added", added}, {"seconds", seconds}}.dump() << '\n';
  } catch (const Xapian::Error& e) {
    std::cerr << "naive_index: " << e.get_description() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "naive_index: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
