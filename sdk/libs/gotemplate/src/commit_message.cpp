#include "iu/gotemplate/commit_message.hpp"

namespace iu::gotemplate {

const Template& default_commit_message_template() {
  static const Template tmpl = Template::parse(kDefaultCommitMessageTemplate);
  return tmpl;
}

Value commit_message_data(const Application& app, const std::vector<ImageChange>& changes) {
  Value::List list;
  for (const ImageChange& c : changes) {
    list.push_back(Value::record({{"Image", c.image},
                                  {"OldTag", c.old_tag},
                                  {"NewTag", c.new_tag},
                                  {"Labels", Value::string_map(c.labels)}}));
  }
  return Value::record({{"AppName", app.name},
                        {"AppNamespace", app.ns},
                        {"AppChanges", Value::list(std::move(list))}});
}

CommitMessage render_commit_message(const Template& tmpl, const Application& app,
                                    const std::vector<ImageChange>& changes) {
  try {
    return {tmpl.execute(commit_message_data(app, changes)), {}};
  } catch (const ExecError& e) {
    return {"build: update of application " + app.name, e.what()};
  }
}

}  // namespace iu::gotemplate
