// dtm's help: oclif's, plus help topics that are not commands (`dtm help environment`,
// `dtm help exit-codes`, `dtm help formats`) and, in the root help, EXAMPLES and HELP TOPICS
// (as gh has them). Loaded by oclif through "helpClass" in package.json.
import { Help } from '@oclif/core';
import { type HelpTopic, type Section, findHelpTopic, helpTopics, rootExamples } from './lib/help/topics.js';

export default class DtmHelp extends Help {
  override async showHelp(argv: string[]): Promise<void> {
    const subject = argv.filter((arg) => !arg.startsWith('-'));
    const topic = subject.length === 1 && subject[0] !== undefined ? findHelpTopic(subject[0]) : undefined;
    if (topic !== undefined) {
      this.log(this.formatHelpTopic(topic));
      return;
    }
    await super.showHelp(argv);
  }

  override async showRootHelp(): Promise<void> {
    await super.showRootHelp();
    this.log(this.section('HELP TOPICS', helpTopics.map((topic): [string, string] => [topic.name, topic.summary])));
    this.log('');
    this.log(this.section('EXAMPLES', rootExamples.map((example) => `$ ${example}`).join('\n')));
    this.log('');
    this.log(this.section('LEARN MORE', `Use \`${this.config.bin} <command> --help\` for more about a command, \`${this.config.bin} help <topic>\` for a topic.`));
    this.log('');
  }

  formatHelpTopic(topic: HelpTopic): string {
    const sections = topic.body().map(([header, body]: Section) => this.section(header, typeof body === 'string' ? this.wrap(body) : body));
    return `${this.wrap(topic.summary)}\n\n${sections.join('\n\n')}\n`;
  }
}
