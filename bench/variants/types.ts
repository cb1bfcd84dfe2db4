/** What a variant is pointed at: the simulator's OpenAI base URL (`http://127.0.0.1:PORT/v1`). */
export interface Target {
  readonly baseUrl: string;
}

/** What the load generator and the exporters saw, for the sanity checks in the report. */
export interface Exported {
  spans: number;
  metricExports: number;
  metricDataPoints: number;
}

/** One way of calling the API, set up in a fresh process. */
export interface Workload {
  /** One chat completion, its body read to the end; resolves to the HTTP status (0: transport error). */
  call(): Promise<number>;
  /** Turns the instrumentation on or off in place (alternating ON/OFF blocks); absent when there is none. */
  toggle?(on: boolean): void;
  /** Empties the span queue, so heap snapshots do not count spans waiting for their batch. */
  flush(): Promise<void>;
  exported(): Exported;
  shutdown(): Promise<void>;
}

export type SetupVariant = (target: Target) => Promise<Workload>;
