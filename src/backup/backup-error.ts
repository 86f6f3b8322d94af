/** A backup or restore that cannot go on, with a sentence for the operator (the CLI prints the message alone). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}
