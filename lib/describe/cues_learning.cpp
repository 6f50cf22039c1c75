#include "cues.hpp"

namespace sml::describe::cues {

// Words that something is to be learnt or recognised from data, and words of IT, arithmetic and
// office work that is not. These decide, with the input and output cues, whether the request is a
// learning problem.
const std::vector<Cue>& learning_cues() {
  static const std::vector<Cue> c = {
      {"predict", 1.5}, {"prediction", 1.5}, {"classify", 1.5}, {"detect", 1}, {"recognise", 1}, {"recognize", 1},
      {"identify", 1}, {"model", 1}, {"train", 1.5}, {"trained", 1.5}, {"training", 1}, {"learn", 1.5}, {"labelled", 1.5},
      {"labeled", 1.5}, {"annotated", 1.5}, {"dataset", 1.5}, {"data set", 1.5}, {"ai", 1}, {"machine learning", 2}, {"ml", 1},
      {"neural", 2}, {"deep learning", 2}, {"fine-tune", 2}, {"finetune", 2}, {"automatically", 0.5}, {"estimate", 0.5},
      {"forecast", 1.5}, {"transcribe", 1.5}, {"translate", 1}, {"summarise", 1}, {"summarize", 1}, {"generate", 1},
      {"recommend", 1}, {"segment", 1}, {"embedding", 1.5}, {"inference", 1.5}, {"accuracy", 1}, {"classifier", 1.5},
      {"example", 0.5}, {"photo", 0.5}, {"image", 0.5}, {"audio", 0.5}, {"video", 0.5}, {"recording", 0.5},
      // A surrogate or emulator learns a solver's input-output map from its past runs.
      {"surrogate", 2.5}, {"emulator", 1.5},
      // A named method of learning says how the model is to learn, whatever else the text is about
      // ("worked out by collaborative filtering on what other readers opened", "encode each job
      // with Sentence-BERT and rank by cosine similarity").
      {"collaborative filtering", 2}, {"matrix factorisation", 2}, {"matrix factorization", 2}, {"sentence-bert", 2},
      {"sentence transformers", 2}, {"sbert", 2}, {"gradient boosting", 2}, {"random forest", 2}, {"logistic regression", 2},
      {"k-means", 1.5}, {"xgboost", 2}, {"lightgbm", 2}};
  return c;
}
const std::vector<Cue>& office_cues() {
  static const std::vector<Cue> c = {
      {"cron", 2}, {"nginx", 2}, {"apache", 1}, {"config", 1}, {"configure", 1}, {"install", 1}, {"docker", 2},
      {"compose up", 2}, {"kubernetes", 2}, {"ingress", 1.5}, {"pod", 1}, {"git", 2}, {"merge conflict", 2}, {"rebase", 2},
      {"branch", 0.5}, {"commit", 1}, {"sql", 1.5}, {"sql query", 2}, {"join", 0.5}, {"css", 2}, {"html", 2}, {"div", 2},
      {"flex", 1}, {"regex", 2}, {"regular expression", 2}, {"formula", 1.5}, {"excel", 0.5}, {"vlookup", 2},
      {"pivot table", 2}, {"printer", 2}, {"wifi", 2}, {"router", 1}, {"firmware", 1.5}, {"password", 1.5},
      {"mortgage", 2}, {"amortisation", 2}, {"amortization", 2}, {"interest", 0.5}, {"tax", 1.5}, {"pension", 1.5}, {"convert", 1}, {"conversion", 1},
      {"calculate", 1}, {"calculator", 2}, {"formula", 1}, {"port", 1}, {"postgres", 2}, {"server", 0.5}, {"debug", 1.5},
      {"error", 0.5}, {"fails with", 1.5}, {"upgrade", 1}, {"log rotate", 2}, {"logrotate", 2}, {"gzip", 2},
      {"gzipped", 2}, {"backup", 1.5}, {"website", 1.5}, {"wordpress", 2}, {"signup form", 1.5}, {"form", 0.5},
      {"how do i", 0.5}, {"what's the fix", 1.5}, {"invoice template", 2}, {"timetable", 1.5}, {"rota", 1.5},
      {"schedule", 1}, {"shortest route", 2}, {"solver", 1.5}, {"minimise", 1}, {"minimize", 1}, {"optimise", 1},
      {"optimize", 1}, {"budget spreadsheet", 2}, {"spreadsheet formula", 2}, {"unit", 0.5}, {"monthly payment", 2},
      // Operations and storage work, scripts, dashboards, buying advice.
      {"replica", 1.5}, {"failover", 1.5}, {"fail over", 1.5}, {"availability zone", 2}, {"bash", 2}, {"script", 1},
      {"shell", 1}, {"rename", 1}, {"raid", 2}, {"nas", 2}, {"drive", 0.5}, {"power bi", 2}, {"tableau", 1.5},
      {"dashboard", 1.5}, {"chart", 0.5}, {"upstream", 1}, {"s3", 1}, {"back up", 1.5}, {"should i buy", 2},
      {"which laptop", 1.5}, {"integrated graphic", 1.5}, {"enough for", 0.5}, {"office work", 1},
      // Planning: routes for vehicles, packing, fixtures and rosters.
      {"plan route", 2}, {"plan the route", 2}, {"route planning", 2}, {"drop-off", 1}, {"mileage", 1},
      {"driving time", 1}, {"van", 0.5}, {"truck", 0.5}, {"shipping container", 1}, {"as few", 1}, {"fit box", 1},
      {"shift", 1}, {"fixture", 1.5}, {"round robin", 2}, {"home and away", 1.5}, {"exam timetable", 2},
      {"technician", 0.5}, {"nobody work", 1}, {"no student", 1},
      // Assignment under hard constraints ("assign 35 technicians to 80 jobs, respecting skills and
      // travel time") is a planning problem; "the fastest way to" do something is a how-to question.
      {"respecting", 1}, {"subject to", 1}, {"travel time", 1}, {"fastest way", 1}, {"quickest way", 1},
      // Work a known deterministic tool does, whose output follows from the input by a fixed rule
      // and is learnt from no examples: format and codec conversion (ffmpeg, ImageMagick,
      // Ghostscript), image edits, exact de-duplication, database tuning, load testing,
      // threshold alerts, shortest or cheapest routes.
      {"transcode", 2}, {"encode", 1}, {"h.265", 2}, {"h.264", 2}, {"hevc", 2}, {"codec", 1.5}, {"bitrate", 1.5},
      {"lufs", 2}, {"loudness", 1}, {"to mp3", 1.5}, {"to pdf", 1.5}, {"pdf/a", 2}, {"tiff", 1}, {"to png", 1.5},
      {"to jpeg", 1.5}, {"to jpg", 1.5}, {"to webp", 1.5}, {"disk space", 1.5}, {"file size", 1}, {"merge", 0.5},
      {"resize", 1.5}, {"watermark", 2}, {"crop", 0.5}, {"rotate", 0.5}, {"docker image", 2}, {"container image", 2},
      {"remove duplicate", 1.5}, {"duplicate row", 2}, {"is identical", 1.5}, {"exact match", 1}, {"identical", 0.5},
      {"postgresql", 2}, {"mysql", 2}, {"airflow", 2}, {"bigquery", 1.5}, {"data pipeline", 1}, {"dataframe", 0.5}, {"index", 1}, {"got slow", 1}, {"slow query", 2},
      {"load test", 2}, {"stress test", 2}, {"rest api", 1.5}, {"api", 0.5}, {"request per second", 1}, {"p99", 1},
      {"grafana", 2}, {"prometheus", 2}, {"stays above", 1.5}, {"goes above", 1.5}, {"drops below", 1.5},
      {"shortest path", 2}, {"flight path", 1.5}, {"fly zone", 1.5}, {"cheapest route", 2}, {"fastest route", 2},
      {"optimal route", 2}, {"best route", 1.5}, {"delivery route", 2},
      // Automation whose every step is stated: messages sent on a rule or a timer (a mail merge or
      // a scheduler), table operations keyed on a column, code migration with its own tools,
      // documents laid out from a template. None has anything to recognise or predict.
      {"sms", 1.5}, {"text message", 1.5}, {"send an email", 1.5}, {"send email", 1.5}, {"email me", 1.5},
      {"remind", 1}, {"reminder", 1}, {"notify", 1}, {"mail merge", 2}, {"nightly", 1}, {"every night", 1},
      {"month end", 1}, {"end of the month", 1}, {"expire", 0.5}, {"etl", 1.5}, {"cron job", 2},
      {"sort by", 1.5}, {"sorted by", 1.5}, {"order by", 1.5}, {"group by", 1.5}, {"csv", 0.5}, {"column", 0.5},
      {"row", 0.5}, {"join on", 1.5}, {"vlookup", 2}, {"codebase", 1.5}, {"python 2", 1.5}, {"refactor", 1.5},
      {"linter", 2}, {"compile", 1}, {"template", 1}, {"lay out", 1.5}, {"layout", 1}, {"for print", 1.5}, {"pdf", 0.5},
      // Documents that all share one layout, made by one program, are parsed by position or
      // pattern (pdftotext and a rule), with no examples to learn from.
      // Sums and totals mailed on a day of the week are a report, and records the same "if the
      // email matches exactly, ignoring case" are found by that rule: nothing is learnt.
      {"sum them", 1.5}, {"sum per", 1.5}, {"total per", 1.5}, {"add up", 1}, {"email the table", 1.5},
      {"every monday", 1}, {"every tuesday", 1}, {"every wednesday", 1}, {"every thursday", 1}, {"every friday", 1},
      {"every week", 0.5}, {"last week's", 0.5}, {"match exactly", 1.5}, {"matches exactly", 1.5},
      {"exactly match", 1.5}, {"ignoring case", 2}, {"ignore case", 2}, {"case insensitive", 2}, {"case-insensitive", 2},
      {"same layout", 2}, {"same template", 2}, {"fixed layout", 2}, {"identical layout", 2}, {"same format", 1.5}};
  return c;
}

}  // namespace sml::describe::cues
