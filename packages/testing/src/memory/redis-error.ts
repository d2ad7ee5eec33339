/**
 * An error reply, as Redis would send it (`ERR …`, `NOSCRIPT …`): it takes the place of its
 * command's reply, and the rest of the pipeline still runs.
 */
export class RedisReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisReplyError';
  }
}

export const notAnInteger = () => new RedisReplyError('ERR value is not an integer or out of range');
export const syntaxError = () => new RedisReplyError('ERR syntax error');
export const wrongArity = (command: string) =>
  new RedisReplyError(`ERR wrong number of arguments for '${command.toLowerCase()}' command`);
