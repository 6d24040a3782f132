/// @file stemming.cpp
#include "stemming.h"

#include <string>

#include "schema.h"
#include "text/folding.h"

namespace clippings {
namespace {

/// stem_form, then a Xapian stemmer.
class FoldingStemmer : public Xapian::StemImplementation {
 public:
  explicit FoldingStemmer(Xapian::Stem stem) : stem_(std::move(stem)) {}
  std::string operator()(const std::string& word) override {
    if (text::is_ascii(word)) return stem_.is_none() ? word : stem_(word);
    const std::string form = text::stem_form(word);
    return stem_.is_none() ? form : stem_(form);
  }
  std::string get_description() const override { return "folding " + stem_.get_description(); }

 private:
  Xapian::Stem stem_;
};

}  // namespace

std::string stemmer_name(std::string_view lang) {
  if (lang.empty() || lang == "none") return "none";
  try {
    // "Xapian::Stem(russian)" -> "russian"
    std::string description = Xapian::Stem{std::string{lang}}.get_description();
    const auto open = description.find('(');
    if (open == std::string::npos || description.back() != ')') return "none";
    return description.substr(open + 1, description.size() - open - 2);
  } catch (const Xapian::InvalidArgumentError&) {
    return "none";  // a language Xapian has no stemmer for
  }
}

Xapian::Stem word_stemmer(const std::string& name) {
  return Xapian::Stem{new FoldingStemmer{name == "none" ? Xapian::Stem{} : Xapian::Stem{name}}};
}

const std::string& IndexLanguages::stemmer_of(const std::string& lang) const {
  auto found = stemmers.find(lang);
  return found == stemmers.end() ? default_stemmer : found->second;
}

IndexLanguages read_index_languages(const Xapian::Database& db, const std::string& default_language) {
  IndexLanguages languages;
  const std::string scheme = db.get_metadata(std::string{schema::kMetaScheme});
  languages.scheme = scheme.empty() ? 1 : std::stoi(scheme);
  languages.default_stemmer = stemmer_name(default_language);
  const std::string prefix{schema::kPrefixLang};
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    const std::string lang = (*it).substr(prefix.size());
    languages.articles[lang] = it.get_termfreq();
    // Scheme 1 stemmed an article with its language's stemmer, else the default language's.
    std::string stemmer = languages.scheme >= 2
                              ? db.get_metadata(std::string{schema::kMetaStemmer} + lang)
                              : stemmer_name(lang);
    const bool unknown = stemmer.empty() || (stemmer == "none" && languages.scheme < 2);
    languages.stemmers[lang] = unknown ? languages.default_stemmer : stemmer;
  }
  return languages;
}

IndexLanguages read_index_languages(std::span<const Xapian::Database> shards, const std::string& default_language) {
  if (shards.size() == 1) return read_index_languages(shards.front(), default_language);
  IndexLanguages languages;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    IndexLanguages shard = read_index_languages(shards[i], default_language);
    if (i == 0) {
      languages.scheme = shard.scheme;
      languages.default_stemmer = shard.default_stemmer;
    }
    languages.stemmers.merge(shard.stemmers);  // keeps the first's where both have a language
    for (const auto& [lang, count] : shard.articles) languages.articles[lang] += count;
  }
  return languages;
}

void record_index_languages(Xapian::WritableDatabase& db) {
  db.set_metadata(std::string{schema::kMetaScheme}, std::to_string(schema::kIndexScheme));
  const std::string prefix{schema::kPrefixLang};
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    const std::string lang = (*it).substr(prefix.size());
    const std::string key = std::string{schema::kMetaStemmer} + lang;
    if (db.get_metadata(key).empty()) db.set_metadata(key, stemmer_name(lang));
  }
}

}  // namespace clippings
