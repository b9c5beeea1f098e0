import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or the text when it is none (an HTML page, a stream). */
  body: unknown;
}

/**
 * A request exactly as given: any method may carry a body, with any headers and bytes — which
 * `fetch` refuses for GET. Event streams are read until their first bytes, then dropped.
 */
export function rawRequest(
  url: string,
  options: { method: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawAnswer> {
  const { body } = options;
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method,
        headers: {
          ...options.headers,
          ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
        },
      },
      (response) => {
        let text = '';
        const done = () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // an HTML page or a stream
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed });
        };
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          if (String(response.headers['content-type']).startsWith('text/event-stream')) {
            response.destroy();
            done();
          }
        });
        response.on('end', done);
      },
    );
    // The server may answer before it read the whole body (a 401 or 413) and close the socket.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (body !== undefined) request.write(body);
    request.end();
  });
}
