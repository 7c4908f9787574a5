import compression from 'compression';
import { constants } from 'node:zlib';
import type { RequestHandler } from 'express';

/** Bodies smaller than this go out as they are: compressing them costs more CPU than the bytes it saves. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/** JSON (pages, GeoJSON, problems, reports), CSV and NDJSON, and the docs' text assets. */
const COMPRESSIBLE = /json|csv|ndjson|javascript|text\/|svg/i;

/**
 * gzip or brotli by `Accept-Encoding` (brotli preferred when both are accepted), streamed through
 * zlib as the handler writes (exports stay in constant memory and keep their backpressure), with
 * `Vary: Accept-Encoding`. Levels are chosen for a live API, not for archives: brotli quality 4
 * and gzip level 6 (measured in README "Compression").
 */
export function compressResponses(): RequestHandler {
  const compress = compression({
    threshold: COMPRESSION_THRESHOLD_BYTES,
    level: 6,
    brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    filter: (_req, res) => COMPRESSIBLE.test(String(res.getHeader('Content-Type') ?? '')),
  });
  // A client that accepts no encoding (most scripts and load generators) gets the body as it is:
  // the compression layer would still wrap write, end and the headers of each of its responses,
  // then decide not to compress. The Vary it would have added is added here, on every response,
  // so a cache keeps the identity and compressed variants apart.
  return (req, res, next) => {
    const accepted = req.headers['accept-encoding'];
    if (accepted === undefined || accepted === '' || accepted === 'identity') {
      res.vary('Accept-Encoding');
      next();
      return;
    }
    compress(req, res, next);
  };
}
