/// @file relevance_xapian.cpp
/// Plain Xapian BM25 over a Clippings database, for the relevance benchmark: each query is
/// parsed with Clippings' stemmer, stemming strategy and field prefixes, its words joined by
/// the operator asked for (OR or AND), and ranked by Xapian's default BM25 with no filter.
/// Reads "qid<TAB>query" lines and writes a TREC run (`qid Q0 docid rank score tag`), the
/// document id being the article id stored in the database.
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "article.h"
#include "config.h"
#include "schema.h"
#include "stemming.h"

namespace {

struct Options {
  std::string database, queries, op = "or", tag, language;
  int depth = 100;
};

Xapian::QueryParser make_parser(const Xapian::Database& db, const Options& options) {
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(clippings::word_stemmer(clippings::stemmer_name(options.language)));
  parser.set_stemming_strategy(clippings::schema::kQueryStemming);
  parser.set_default_op(options.op == "and" ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
  for (const auto& field : clippings::schema::kFieldPrefixes) {
    parser.add_prefix(std::string{field.field}, std::string{field.prefix});
  }
  return parser;
}

/// Writes one query's ranked hits.
void run_query(Xapian::Enquire& enquire, Xapian::QueryParser& parser, const std::string& qid,
              const std::string& text, const Options& options, std::ostream& out) {
  enquire.set_query(parser.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT));
  const Xapian::MSet mset = enquire.get_mset(0, options.depth);
  int rank = 0;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const auto article = clippings::from_stored_data(it.get_document().get_data());
    out << qid << " Q0 " << article.id << ' ' << ++rank << ' ' << std::setprecision(17)
        << it.get_weight() << ' ' << options.tag << '\n';
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Ranks queries with Xapian's BM25 over a Clippings database, as a TREC run"};
  Options options;
  options.language = clippings::default_config().language;
  app.add_option("--db", options.database, "Clippings database directory")->required();
  app.add_option("--queries", options.queries, "file of qid<TAB>query lines")->required();
  app.add_option("--op", options.op, "operator between the words of a query")
      ->check(CLI::IsMember({"or", "and"}));
  app.add_option("--depth", options.depth, "results per query")->check(CLI::Range(1, 10000));
  app.add_option("--tag", options.tag, "run tag (last column)")->required();
  app.add_option("--lang", options.language, "stemming language (default: Clippings')");
  CLI11_PARSE(app, argc, argv);
  try {
    std::ifstream in(options.queries);
    if (!in) throw std::runtime_error(options.queries + ": cannot be read");
    Xapian::Database db(options.database);
    Xapian::Enquire enquire(db);  // BM25Weight with Xapian's default parameters
    auto parser = make_parser(db, options);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.empty()) continue;
      const auto tab = line.find('\t');
      if (tab == std::string::npos || tab == 0) {
        throw std::runtime_error(options.queries + ":" + std::to_string(number) +
                                 ": expected qid<TAB>query");
      }
      run_query(enquire, parser, line.substr(0, tab), line.substr(tab + 1), options, std::cout);
    }
    return 0;
  } catch (const Xapian::Error& e) {
    std::cerr << "clippings-bench-relevance-xapian: " << e.get_description() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "clippings-bench-relevance-xapian: " << e.what() << '\n';
  }
  return 2;
}
