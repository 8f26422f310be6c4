/**
 * Thrown inside the protocol loop when the client has gone (socket closed, Terminate during COPY):
 * it unwinds the handler without any reply, since nobody is listening.
 */
export class ConnectionGone extends Error {
  constructor() {
    super('connection closed by client');
    this.name = 'ConnectionGone';
  }
}
