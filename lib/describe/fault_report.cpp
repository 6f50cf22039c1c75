#include "fault_report.hpp"


#include "sml/io/text.hpp"
#include "word_regex.hpp"

namespace sml::describe {
namespace {

struct Sign {
  Regex pattern;
  double weight;
  bool cased = false;  // read on the text as written (CamelCase error names), not lower-cased
};

// Patterns are matched on lower-cased text: std::regex::icase would make each several times slower
// to compile, at every start-up (as in constraints.cpp).
//
// Each sign counts once, however often it occurs.
const std::vector<Sign>& signs() {
  static const std::vector<Sign> s = {
      // An error quoted from a log or a traceback: an exception's name, "error:" with its text, an
      // HTTP or exit status, a quoted scheduler or driver message.
      {table_pattern(R"(\b[A-Z][A-Za-z]*(Error|Exception)\b)"), 1.5, true},
      {table_pattern(R"(\b(error|errno|exception|status|exit code)\s*[:=(]?\s*(\d{3}\b|[a-z_./-]+:)|\b(error|failure)\s*:)"), 1},
      {table_pattern(R"(\b(out of memory|oom(kill(s|ed)?)?|not found in \$?path|executable file not found|connection refused|timed out|permission denied|no space left|segmentation fault|segfault|core dumped|insufficient [a-z./-]+)\b)"), 1.5},
      // Something that does not work: fails, crashes, hangs, stays pending, will not boot.
      {table_pattern(R"(\b(fails?|failed|failing|crash(es|ed|ing)?|hangs?|freez(es|ing)|stuck|broken|blank|stopped (working|reporting|responding))\b)"), 1},
      {table_pattern(R"(\b(won'?t|wont|doesn'?t|does not|can'?t|cannot|cant|couldn'?t|isn'?t|is not|unable to)\s+(boot|start|run|load|work|connect|reach|find|pull|download|install|mount|compile|import|see|access|schedule|show|display|appear|respond|return|render|open|save|update|trigger|execute|renew)\b)"), 1},
      // A running system that got slow or falls behind ("the job has become very slow", "consumer
      // lag keeps growing", "GPU utilisation sits at 20%"): a symptom to diagnose, not a prediction.
      {table_pattern(R"(\b(is|are|was|became|become|got|gets|runs?|running|getting)\s+(quite |very |really |too |so |extremely |much )?(slow|slower|sluggish|laggy)\b|\b(lag|latency|backlog)\b[^.;]{0,30}\b(increased|increasing|grows|growing|grown|went up|piling up)\b|\butili[sz]ation\s+(is\s+|sits\s+at\s+|stays\s+|drops\s+|of\s+)?(only\s+|around\s+|at\s+|below\s+|under\s+)*(low|\d+\s*%)|\bbottleneck\b|\bspeed up the\b)"), 1.5},
      // A limit the software hit ("connection max size reached", "goes past the 2 GB limit").
      {table_pattern(R"(\bmax(imum)?\s+[a-z ]{0,24}\breached\b|\b(past|over|exceeds?|exceeded|exceeding|hits?|hit)\s+the\s+[a-z0-9 ]{0,16}\blimit\b)"), 1},
      // A plea to fix what is broken, and a thing that worked and no longer does ("the demo page
      // doesn't show any captions anymore").
      {table_pattern(R"(\bhelp (me|us) (to )?(fix|solve|debug|repair)\b|\b(doesn'?t|does not|don'?t|do not|won'?t|isn'?t|aren'?t|can'?t|cannot)\s+(show|work|load|display|appear|return|respond|run|start|open|render|connect|print|send|save)\b[^.;]{0,40}\b(anymore|any more)\b)"), 1},
      // A certificate that expires or must be renewed is operations work, whatever it secures.
      {table_pattern(R"(\b(certificates?|certs?|ssl|tls|https)\b[^.;]{0,40}\b(expire[sd]?|expiring|expiry|renew(ed|al)?)\b|\brenew(al|ing)?\b[^.;]{0,30}\b(certificates?|certs?)\b)"), 2.5},
      // A service that stopped doing its work ("the scheduler stops queueing tasks").
      {table_pattern(R"(\bstop(s|ped)?\s+(queu(e)?ing|scheduling|processing|consuming|syncing|sending|serving|responding|running|working|reporting)\b|\bstopped\s+[a-z]{3,}ing\b)"), 1},
      {table_pattern(R"(\b(stays?|remains?|always)\s+(in\s+)?(pending|crashloopbackoff|unschedulable|not ready))"), 1},
      // A command, a flag, a path or a library call: the text of a shell or a program.
      {table_pattern(R"(`[^`]+`|\$[a-z_]{3,}|(^|[\s(])--?[a-z][a-z-]+\b|(^|\s)/[a-z0-9._-]+/[a-z0-9._/-]+|\b(sudo|apt-get|apt|pip|kubectl|docker|helm|systemctl|nvidia-smi|exec|curl|wget)\s+[a-z-]+)"), 1},
      {table_pattern(R"(\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z]+\(\))"), 0.5},
      // Versions of the software involved: "Ubuntu 22.04", "Postgres newer than 9.3", "CUDA 12".
      {table_pattern(R"(\b(ubuntu|debian|centos|windows|macos|postgres(ql)?|mysql|python|cuda|driver|kernel|kubernetes|k8s|docker|version|v)\s*(newer than |older than |>=? ?|<=? ?)?\d+(\.\d+)+\b)"), 1},
      // Work on model files and services, not on a model's task: downloading, pulling, installing,
      // mirroring or proxying them.
      {table_pattern(R"(\b(download|downloading|pull|pulling|push|pushes|pushing|install|installing|upload|uploading|copy|mirror)\s+(the\s+|our\s+|a\s+)?(model\s+weights|model|models|weights|checkpoint|blob)\b|\b(models?|weights)\s+(manually|download|registry)\b|\b(proxy|socks5|vpn|firewall|registry|mirror)\b)"), 1.5},
      // A transfer rate ("160 kbit/s", "40 MB/s") is the speed of a network or a disk.
      {table_pattern(R"(\b\d+(\.\d+)?\s*([kmg]i?)?(bits?|b|bytes?)\s*/\s*s\b|\b\d+(\.\d+)?\s*[kmg]bps\b)"), 1},
      // A question of how to fix, or that things worked before a change.
      {table_pattern(R"(\bhow (do|can|could|should) (i|we|you) (fix|solve|get rid|debug|find out why|remove|speed up)|\bwhere is the bottleneck|\bany idea\b|\bworked (fine |perfectly )?(before|until)|\b(after|since) (the |a |our )?(last |latest |recent )?(upgrade|reboot|restart|update|restarting|rebooting|installing|deploy|deployment|release|migration))"), 1},
      // What a report observes and a request for a model does not: how a running system behaved
      // over time. A state that changed ("used to return in 40 ms", "for the last few days", "it
      // started when I restarted the primary", "memory usage started to grow", "after a fresh
      // install"), an event that recurs ("killed every 5-10 minutes", "drops to 0 every few
      // seconds") or behaviour its writer cannot explain ("for some reason"). A request to learn
      // states what is wanted, not a history of how a system behaved.
      {table_pattern(R"(\b(i|we|it|they|that|this|which)\s+used to\b|\bno longer\b|\bfor some reason\b|\bgradually\b|\bfor the (last|past) (few |couple of )?(days|weeks|hours)\b|\b(it|this|the (problem|issue|error))\s+started\s+(when|after|since)\b|\bstarted to (grow|increase|rise|climb|drop|fail|slow)\b|\b(after|since)\s+(a\s+|the\s+|our\s+|my\s+)?(fresh\s+|new\s+|clean\s+|recent\s+|last\s+)?(install|installation|reinstall|upgrade|update|reboot|restart)\b|\b(were|was)\s+(snappy|fast|fine|working)\b[^.;]{0,60}\bnow\b|\b(killed|crash\w*|drops?|restarts?|fails?|dies|disconnects?)\b[^.;]{0,30}\bevery\s+(few|couple of|\d+(-\d+)?)\s+(seconds?|minutes?|hours?)\b)"), 1.5},
      // A contrast between where or when it works and where it does not ("renders locally but",
      // "better than I expected on the Mac, but on an iPad", "while smaller files merge fine",
      // "the query hasn't changed", "always shows no person, even when I move the camera").
      {table_pattern(R"(\b(fine(?!-)|well|ok|okay|perfectly|better than (i )?expected)\b[^.;]{0,100}\b(but|while|whereas|however)\b|\b(while|whereas)\b[^.;]{0,60}\b(fine(?!-)|works? (fine|well))\b|\blocally\b[^.;]{0,40}\b(but|while|still)\b|\bha(s|ve)n'?t changed\b|\b(has|have) not changed\b|\b(always|still|never|no)\b[^.;]{0,60}\beven (when|if|after)\b)"), 1},
      // A state only a running system is in: killed, not responding, unassigned, not found, a
      // value that comes out NaN, an output that is always or still the same.
      {table_pattern(R"(\b(gets?|got|was|were|been|being)\s+(oom\s*)?killed\b|\bnot responding\b|\bunresponsive\b|\bunassigned\b|\bnan\b|\b(is|are|was|were)\s+not\s+(found|detected)\b|\b(always|still)\s+(shows?|returns?|gives?|says?|outputs?|reports?)\b)"), 1},
      // The machine's memory as the symptom: usage that grows or spikes, a leak, an outage, a job
      // that consumes all of it.
      {table_pattern(R"(\bmemory\s+(usage|use)\b[^.;]{0,30}\b(grow\w*|increas\w*|spik\w*|climb\w*|balloon\w*)|\bmemory\s+(leak|outage)\b|\bconsum\w*\s+(all|the entire|most of the)\s+(available\s+)?(memory|ram|cpu|disk)\b)"), 1},
      // A question about the cause of what was observed, or what to look at or change.
      {table_pattern(R"(\bany leads\b|\bwhat (could|might|can|would) (be )?caus|\bwhat else\b|\bcan (you|someone|anyone) (please )?check\b|\bwhich\b[^.?]{0,30}\b(metrics?|settings?|logs?|flags?)\b|\bwhat (settings?|configuration|config)\s+(should|do|to)\b|\bis there (a|any) way to speed\b|\bshould (i|we) wait\b)"), 1},
      // A server's answer or log line: an HTTP status with its phrase, a log level in brackets, a
      // worker timeout, something thrown.
      {table_pattern(R"(\b[45]\d\d\s+(bad gateway|gateway time-?out|internal server error|service unavailable|not found|forbidden|unauthori[sz]ed)\b|\[(critical|error|warn|warning|fatal)\]|\bworker timeout\b|\bthrow(s|ing|n)?\b[^.;]{0,30}\b(error|exception|issue)\b)"), 1.5},
      // A message quoted from the system that says something failed or is missing.
      {table_pattern(R"(['"‘“][^'"’”\n]{8,}?\b(down|drained|failed|unable|error|refused|denied|missing|invalid|cannot|not available|no summary)\b[^'"’”\n]*['"’”])"), 1},
      // Table work on data held: joins and merges of frames or files (data engineering).
      {table_pattern(R"(\b(inner|outer|left|right|cross)\s+join\b|\bmerg(e|es|ed|ing)\b[^.;]{0,40}\b(dataframes?|tables?|csvs?|csv files)\b|\b(dataframes?|csvs?|csv files)\b[^.;]{0,40}\bmerg(e|es|ed|ing)\b|\bgroupby\b)"), 1},
      // The machine a report runs on (a cluster, a container, a VM, shards, a scheduler): a
      // weak sign, a report only with others.
      {table_pattern(R"(\b(the|our|my|a|this|that)\s+([a-z0-9.-]+\s+){0,2}(cluster|pod|vm|virtual machine|scheduler|dataloader|data loader)\b|\bshards?\b|\bdataloader\b)"), 0.5},
      // An attempt that fails ("when I try to translate ... it doesn't show any text") and the
      // environment it was tried in ("I'm on a laptop with Windows and the Brave browser").
      {table_pattern(R"(\bwhen (i|we) try\b[^.;]{0,80}\b(doesn'?t|does not|won'?t|fails?|nothing|error)\b)"), 1},
      {table_pattern(R"(\b(i'?m|i am|we'?re|we are)\s+(running\s+)?on\s+(a\s+)?[a-z0-9 .]{0,25}\b(windows|linux|mac ?os|ubuntu|debian|android|ios|chrome|firefox|brave|safari)\b)"), 1},
      // Work on software that already exists, asked of its maintainers: the output of a service
      // read through its API ("read it from their API", "pull the usage numbers from the billing
      // API"), what that API already gives, a feature shown as a sensor or widget, a value that is
      // hard-coded or should be configurable, a call that returns one thing instead of another, an
      // app whose latency is to be cut, CRUD screens, data moved between stores, results posted to
      // a chat channel. Whatever the data is about, nothing is to be learnt from it.
      {table_pattern(R"(\b(read|fetch|pull|get|import|query|poll|load|take)\b[^.;]{0,50}\b(from|via|through|out of)\s+(the|their|its|our|an?|this|that)\s+([a-z0-9.#-]+\s+){0,2}(api|endpoint|webhook|integration)\b)"), 2},
      {table_pattern(R"(\b(api|endpoint)s?\s+(already\s+)?(gives|returns|provides|offers|exposes)\b)"), 1},
      {table_pattern(R"(\badd\b[^.;?]{0,60}\bas\s+(an?\s+)?(new\s+)?(sensor|widget|entity|panel|card|attribute|plugin)\b)"), 1.5},
      {table_pattern(R"(\bhard-?coded\b)"), 1.5},
      {table_pattern(R"(\bmake\s+[a-z ]{0,30}\bconfigurable\b|\b(config|configuration)\s+option\b|\benv(ironment)?\s+var(iable)?s?\b)"), 1.5},
      // A request to a project's maintainers: "could you add ...", "it would be great if ...".
      {table_pattern(R"(\b(could|can|would) you (please )?(add|support|include|expose|implement)\b|\bit would be (great|nice|cool|awesome|helpful) if\b)"), 1},
      {table_pattern(R"(\b(returns?|returned|returning|outputs?|prints?|shows?|displays?)\b[^.;]{0,60}\binstead\s+of\b)"), 2},
      // A function of the writer's code named as the subject of what it does ("get_sales_report
      // returns 50 raw rows", "load_config() raises"): a snake_case name is code, not a data set.
      {table_pattern(R"(\b[a-z][a-z0-9]*(_[a-z0-9]+)+(\(\))?\s+(returns?|returned|raises?|raised|throws?|threw|gives?|gave|outputs?|prints?|fails?|failed|crashes|crashed|hangs|yields?)\b)"), 1.5},
      {table_pattern(R"(\b(improve|reduce|lower|cut|decrease|fix)\s+(the\s+)?(\d+(\.\d+)?\s*(ms|s|seconds?)\s+)?([a-z-]+\s+){0,2}(latency|lag|delay|load time|start-?up time)\s+(of|in)\s+(the|my|our|this|its|their)\b)"), 1.5},
      {table_pattern(R"(\bis there (a|any) way to (improve|reduce|lower|fix|cut)\b)"), 1},
      {table_pattern(R"(\baudit trail\b)"), 1},
      {table_pattern(R"(\bcrud\b|\badmin (panel|page|screen)s?\b|\b(the|this|your)\s+(integration|plugin|add-?on|extension|bot)\s+(could|should|would|can)\s+(read|show|display|fetch|support|use|pull|import)\b)"), 1.5},
      {table_pattern(R"(\bmigrat(e|es|ed|ing|ion)\b[^.;]{0,80}\b(to|into|onto)\s+([a-z0-9-]+\s+){0,3}(blob storage|storage|s3|bucket|gcs|nas|database|cluster|server|data ?cent(er|re)|region|cloud)\b)"), 2.5},
      {table_pattern(R"(\b(post|send|push|publish)\b[^.;]{0,60}\b(into|to|in|on)\s+(our|the|a|my)\s+([#a-z0-9-]+\s+){0,2}(slack|teams|discord|channel|webhook)\b)"), 1},
      // A setting the writer changed, and a "but" after it: the change did not have its effect. A
      // dot inside a name ("spark.sql.shuffle.partitions") ends no sentence.
      {table_pattern(R"(\b(i|we)\s+(have\s+|had\s+)?(set|replaced|swapped|changed|updated|upgraded|exported|converted|migrated|reinstalled|configured|increased|decreased)\b([^.;]|\.(?=\S)){0,200}\bbut\b)"), 1},
      // Setting up the machine rather than a model: drivers, toolkits, SDKs and packages to install
      // or to get detected, and what a shell answers when they are missing ("command not found",
      // "unable to locate package", "No device found").
      {table_pattern(R"(\b(install|installing|installed|reinstall(ing|ed)?|set\s+up|setting\s+up|get\s+(it|them|the\s+[a-z]+)\s+detected)\b[^.;?]{0,40}\b(cuda|cudnn|drivers?|toolkit|sdk|packages?|runtime|firmware|jetpack)\b|\bwhich\s+(driver|version|package|toolkit|sdk)\b)"), 1.5},
      {table_pattern(R"(\b(command not found|no such (command|file or directory)|unable to locate package|(cannot|can'?t|could not|couldn'?t) locate|no\s+(device|devices|gpu|gpus|cuda(-capable)? devices?)\s+(was\s+|were\s+|is\s+|are\s+)?(found|detected|available))\b)"), 1.5},
      // A constant of the writer's code ("SHOP_ORDER_STATUS_CHOICES", "MAX_RETRIES") and a schema
      // migration: work on a program and its database.
      {table_pattern(R"(\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b)"), 1, true},
      {table_pattern(R"(\b(new|schema|database|db|django|alembic|rails)\s+migrations?\b|\bmakemigrations\b)"), 1.5},
      // Where data is kept and how much a service takes: hosting or uploading a data set, a size
      // limit or quota. Keeping data is storage work, whatever the data is for.
      {table_pattern(R"(\b(host|hosting|hosted|upload|uploading|store|storing|publish|publishing|mirror)\s+(all\s+)?(of\s+)?(our|the|my|a|this|their|your)?\s*([a-z-]+\s+){0,2}(data ?sets?|data|files|archives?)\b)"), 1.5},
      {table_pattern(R"(\b(size|storage|upload|file|disk|bandwidth)\s+(limits?|quotas?|caps?)\b|\bmax(imum)?\s+(individual\s+)?(file|upload)\s+size\b)"), 1.5},
      // A feature asked of software that exists, in its own output ("please add timestamps like in
      // the subtitles section but in the txt file").
      // An HTTP status a call answered with ("returns 403", "got a 502").
      {table_pattern(R"(\b(returns?|returned|returning|gives?|gave|got|gets|getting|throws?|fails with)\s+(an?\s+)?(http\s+)?[45]\d\d\b)"), 1.5},
      {table_pattern(R"(\bplease add\b[^.;?]{0,80}\b(in|to|into)\s+the\s+([a-z]+\s+)?(txt|csv|json|pdf|srt|export|file|page|menu|settings|section|report|sidebar|toolbar|output)\b)"), 1.5},
  };
  return s;
}

}  // namespace

FaultReport read_fault_report(const std::string& text) {
  FaultReport r;
  const std::string lower = to_lower(text);
  for (const auto& s : signs()) {
    Match m;
    if (!regex_search(s.cased ? text : lower, m, s.pattern)) continue;
    r.weight += s.weight;
    std::string said = m.str();
    while (!said.empty() && (said.front() == ' ' || said.front() == '\n')) said.erase(said.begin());
    r.evidence.push_back(said);
  }
  static const Regex own(R"(\b(i|we)\s+(have\s+|had\s+|'ve\s+)?(already\s+)?(trained|fine-?tuned|built|exported|converted|deployed)\s+(an?|the|my|our|this)\s+([a-z0-9-]+\s+){0,4}model\b)");
  r.own_model = regex_search(lower, own);
  return r;
}

}  // namespace sml::describe
