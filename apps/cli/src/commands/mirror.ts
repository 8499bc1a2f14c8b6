import { DtmCommand } from '../base-command.js';

export default class Mirror extends DtmCommand<typeof Mirror> {
  static override hidden = true;
  static override summary = 'Write the CSV mirror of the local store (dtm starts this in the background)';
  static override description =
    'Brings tasks.csv, projects.csv and sprints.csv in the server folder of the data dir up to date with the local store. ' +
    'Every command that changes the store starts it detached, so that no command waits for a large mirror.';

  async run(): Promise<void> {
    const store = await this.data.store();
    if (store === undefined) return;
    const { writeMirror } = await import('../lib/store/mirror.js');
    await writeMirror(store);
  }
}
