// Errors raised by testbenches: each says when in simulated time (ps and clock cycle) it happened.
export class TestbenchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TestbenchError';
  }
}

export class TimeoutError extends TestbenchError {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}
