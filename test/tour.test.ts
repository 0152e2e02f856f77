/**
 * The tour in quick mode: every scenario runs and gives figures, and every scenario's
 * result is right — checked here against values computed straight from the formulas that
 * define the synthetic data, never against memview. No assertion depends on a timing.
 */

import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HELP, main } from '../tour/cli.js';
import { runTour, SCENARIO_NAMES, type TourResult } from '../tour/index.js';
import { fileContent, ioSizes, SAMPLE } from '../tour/io.js';
import {
  MAX_PAYLOAD,
  makeMessageBlob,
  nextState,
  parseWithByteViews,
  parseWithCopies,
  parseWithViews,
} from '../tour/parser.js';
import { PIPELINE_PAYLOAD, pipelineSizes } from '../tour/pipeline.js';
import { runPython } from '../tour/python.js';
import { SLICE_PERIOD, sliceByte, sliceSizes } from '../tour/slice.js';
import { renderTable } from '../tour/table.js';
import { ROI_ORDER } from '../tour/threads-worker.js';
import {
  analyseWithCopies,
  analyseWithViews,
  BINS,
  FRAME_BYTES,
  FrameStats,
  HEIGHT,
  planeViews,
  ROI_SIZES,
  type Roi,
  roisFor,
  WIDTH,
  writeFrame,
} from '../tour/video.js';

let dir: string;
let tour: TourResult;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memview-tour-test-'));
  tour = await runTour({ quick: true, output: () => {}, reportDir: dir, log: () => {} });
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function scenario(name: string) {
  const found = tour.scenarios.find((s) => s.name === name);
  assert.ok(found, `scenario ${name} ran`);
  return found;
}

describe('the tour (quick mode)', () => {
  test('runs every scenario, in order, and each passes its own check', () => {
    assert.deepEqual(
      tour.scenarios.map((s) => s.name),
      [...SCENARIO_NAMES],
    );
    for (const s of tour.scenarios) {
      assert.ok(s.check.ok, `${s.name}: ${s.check.description} ${JSON.stringify(s.check.values)}`);
      assert.ok(s.rows.length > 0, `${s.name} has rows`);
    }
  });

  test('every row has a memview figure and a copying figure', () => {
    for (const s of tour.scenarios) {
      if (!s.available) continue; // io without memview/node says why instead
      for (const row of s.rows) {
        const what = `${row.scenario} · ${row.label}`;
        assert.ok(row.memview !== null && Number.isFinite(row.memview), `${what}: memview`);
        assert.ok(row.baseline !== null && Number.isFinite(row.baseline), `${what}: copying`);
        assert.ok(row.claim.length > 0, `${what}: claim`);
      }
    }
    assert.equal(
      tour.rows.length,
      tour.scenarios.map((s) => s.rows.length).reduce((a, b) => a + b),
    );
  });

  test('the Python column has figures, or says why not', () => {
    for (const row of tour.rows) {
      if (row.python === null) continue;
      const measured = row.python.view !== null || row.python.copy !== null;
      assert.ok(measured || (row.python.note ?? '').length > 0, `${row.label}`);
    }
  });

  test('memview copies nothing: no ArrayBuffer bytes per message or per ROI', () => {
    assert.equal(scenario('parser').details.viewArrayBufferBytesPerMessage, 0);
    assert.equal(scenario('pipeline').details.viewArrayBufferBytesPerMessage, 0);
    assert.equal(scenario('pipeline').details.copyArrayBufferBytesPerMessage, PIPELINE_PAYLOAD);
    const copied = scenario('video').rows.find((row) => row.unit === 'B/ROI');
    assert.equal(copied?.memview, 0);
    assert.ok((copied?.baseline ?? 0) > 400_000, 'a copied ROI is hundreds of kB');
  });

  test('threads: every split analyses each ROI once, agrees with one thread, and copies no pixel', () => {
    const threads = scenario('threads');
    assert.equal(threads.check.values.workersAgree, true);
    assert.equal(threads.details.threads, 2);
    const copied = threads.rows.find((row) => row.unit === 'B/frame');
    assert.equal(copied?.memview, 0);
    assert.equal(copied?.baseline, FRAME_BYTES);
    assert.equal(threads.rows.filter((row) => row.unit === 'frames/s').length, 3);
  });

  test('threads: the ROIs are taken largest first, each once', () => {
    assert.deepEqual(
      [...ROI_ORDER].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    const areas = ROI_ORDER.map((k) => ROI_SIZES[k][0] * ROI_SIZES[k][1]);
    assert.deepEqual(
      areas,
      [...areas].sort((a, b) => b - a),
    );
  });

  test('writes tour.md and tour.svg with the same rows', async () => {
    assert.deepEqual(tour.reportFiles, [join(dir, 'tour.md'), join(dir, 'tour.svg')]);
    const markdown = await readFile(join(dir, 'tour.md'), 'utf8');
    const svg = await readFile(join(dir, 'tour.svg'), 'utf8');
    assert.match(markdown, /^# memview tour/);
    assert.match(markdown, /\| scenario \| measure \| memview \| copying \|/);
    assert.match(markdown, /!\[[^\]]*\]\(tour\.svg\)/);
    for (const row of tour.rows) assert.ok(markdown.includes(row.label.replaceAll('|', '\\|')));
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\n$/);
    const figures = tour.rows.flatMap((row) =>
      [row.memview, row.baseline, row.python?.view ?? null, row.python?.copy ?? null].filter(
        (v) => v !== null && Number.isFinite(v),
      ),
    );
    const bars = svg.match(/<rect x="190"/g) ?? [];
    assert.equal(bars.length, figures.length, 'one bar per figure');
    assert.doesNotMatch(svg, /NaN|undefined/);
  });

  test('the table has a line per row under its header', () => {
    const lines = renderTable(tour.rows).split('\n');
    assert.equal(lines.length, tour.rows.length + 2);
    assert.match(lines[0], /^scenario\s+measure\s+memview\s+copying/);
  });
});

describe('runTour options', () => {
  test('json prints the rows as JSON; scenarios picks scenarios', async () => {
    const written: string[] = [];
    const result = await runTour({
      scenarios: ['slice'],
      json: true,
      quick: true,
      python: false,
      reportDir: dir,
      log: () => {},
      output: (text) => written.push(text),
    });
    assert.deepEqual(
      result.scenarios.map((s) => s.name),
      ['slice'],
    );
    const printed = JSON.parse(written.join(''));
    assert.deepEqual(printed, JSON.parse(JSON.stringify(result.rows)));
    assert.match(result.rows[0].python?.note ?? '', /not run/);
  });

  test('an unknown scenario is refused with the list of names', async () => {
    await assert.rejects(runTour({ scenarios: ['slice', 'nope'], output: () => {} }), {
      message: `unknown tour scenario 'nope'; choose from ${SCENARIO_NAMES.join(', ')}`,
    });
  });
});

describe('results against direct computations', () => {
  test('slice: the sum of the tail, from the buffer formula', () => {
    const { total, tail } = sliceSizes(true);
    let sum = 0;
    for (let i = total - tail; i < total; i++) sum += sliceByte(i % SLICE_PERIOD);
    assert.equal(scenario('slice').check.values.tailSum, sum);
    assert.equal(scenario('slice').check.values.viewSum, sum);
  });

  test('parser: message count, bytes, types and checksum, from the generator formula', () => {
    const total = 2_000_000;
    let state = 1;
    let at = 0;
    let messages = 0;
    let payloadBytes = 0;
    let typeSum = 0;
    let checksum = 0;
    for (let i = 0; ; i++) {
      state = nextState(state);
      const length = state % (MAX_PAYLOAD + 1);
      if (at + 8 + length > total) break;
      const type = 1 + ((state >> 12) & 7);
      const byte = (k: number) => (((i & 255) + k) * 7 + 3) & 255;
      const first = length > 0 ? byte(0) : 0;
      const last = length > 0 ? byte(length - 1) : 0;
      messages++;
      payloadBytes += length;
      typeSum += type;
      checksum = (Math.imul(checksum, 31) + type * 65536 + first * 256 + last) >>> 0;
      at += 8 + length;
    }
    const expected = { messages, payloadBytes, typeSum, checksum };
    const values = scenario('parser').check.values;
    assert.deepEqual(
      {
        messages: values.messages,
        payloadBytes: values.payloadBytes,
        typeSum: values.typeSum,
        checksum: values.checksum,
      },
      expected,
    );
    assert.equal(values.bytes, at);
    const blob = makeMessageBlob(total);
    assert.deepEqual(parseWithViews(blob), expected);
    assert.deepEqual(parseWithByteViews(blob), expected);
    assert.deepEqual(parseWithCopies(blob), expected);
  });

  test('pipeline: the process() total, from the block formula', () => {
    const { blockMessages, passes } = pipelineSizes(true);
    let total = 0;
    for (let i = 0; i < blockMessages; i++) {
      const header0 = i & 255;
      const payload = (j: number) => ((i & 255) + 3 * j) & 255;
      total += header0 + payload(0) * 3 + payload(PIPELINE_PAYLOAD - 1) * 5;
    }
    const values = scenario('pipeline').check.values;
    assert.equal(values.total, total * passes);
    assert.equal(values.viewsTotal, total * passes);
    assert.equal(values.copiesTotal, total * passes);
  });

  test('video: ROI means and histograms, from the pixel formulas', () => {
    const frames = scenario('video').check.values.frames as number;
    const totals = { ySum: 0, uSum: 0, vSum: 0, histWeight: 0 };
    for (let f = 0; f < frames; f++) {
      for (const roi of roisFor(f)) {
        const direct = directRoi(roi, f);
        totals.ySum += direct.ySum;
        totals.uSum += direct.uSum;
        totals.vSum += direct.vSum;
        direct.hist.forEach((n, b) => {
          totals.histWeight += n * (b + 1);
        });
      }
    }
    const values = scenario('video').check.values;
    assert.deepEqual(
      {
        ySum: values.ySum,
        uSum: values.uSum,
        vSum: values.vSum,
        histWeight: values.histWeight,
      },
      totals,
    );
    const last = roisFor(frames - 1)[0];
    assert.equal(
      values.lastFrameRoi0MeanY,
      directRoi(last, frames - 1).ySum / (last.width * last.height),
    );
  });

  test('video: each way gives every ROI’s mean and 16 bins of one frame, read in place', () => {
    const f = 37;
    const frame = new Uint8Array(FRAME_BYTES);
    writeFrame(frame, f);
    const planes = planeViews(frame);
    const rois = roisFor(f);
    const ways = {
      strided: new FrameStats(),
      rows: new FrameStats(),
      copies: new FrameStats(),
    };
    analyseWithViews(planes, frame, rois, 'strided', ways.strided);
    analyseWithViews(planes, frame, rois, 'rows', ways.rows);
    analyseWithCopies(frame, rois, ways.copies);
    rois.forEach((roi, k) => {
      const direct = directRoi(roi, f);
      for (const [name, stats] of Object.entries(ways)) {
        assert.equal(stats.meanY(k, roi), direct.ySum / (roi.width * roi.height), `${name} ${k}`);
        assert.deepEqual(stats.bins(k), direct.hist, `${name} ${k} histogram`);
        assert.equal(stats.uSum[k], direct.uSum, `${name} ${k} U`);
        assert.equal(stats.vSum[k], direct.vSum, `${name} ${k} V`);
      }
    });
    // The ROI views are views: a write to the frame shows through them.
    const roi = rois[0];
    const view = planes.y.sub([roi.y, roi.y + roi.height], [roi.x, roi.x + roi.width]);
    assert.equal(view.obj, frame);
    frame[roi.y * WIDTH + roi.x] = 7;
    assert.equal(view.get(0, 0), 7);
    view.release();
    planes.release();
  });

  test('io: bytes and sample sums of both streams, from the content formula', () => {
    const sizes = ioSizes(true);
    const content = (i: number) => (i * 7 + (i >> 12)) & 255;
    let fileSample = 0;
    for (let i = 0; i < sizes.fileBytes; i += SAMPLE) fileSample += content(i);
    assert.deepEqual(
      fileContent(5000).slice(4090, 4100),
      Uint8Array.from({ length: 10 }, (_, k) => content(4090 + k)),
    );
    const stream: number[] = [];
    for (let m = 0; m < sizes.messages; m++) {
      for (const word of [m, sizes.payload, 0xfeedface, (m ^ 0xa5a5a5a5) >>> 0]) {
        stream.push(word & 255, (word >>> 8) & 255, (word >>> 16) & 255, word >>> 24);
      }
      const at = (m * 4099) % (sizes.sourceBytes - sizes.payload);
      for (let j = 0; j < sizes.payload; j++) stream.push(content(at + j));
    }
    let messageSample = 0;
    for (let i = 0; i < stream.length; i += SAMPLE) messageSample += stream[i];
    const s = scenario('io');
    if (!s.available) return; // memview/node missing: the row says so
    assert.equal(s.check.values.fileBytes, sizes.fileBytes);
    assert.equal(s.check.values.fileSample, fileSample);
    assert.equal(s.check.values.messageBytes, stream.length);
    assert.equal(s.check.values.messageSample, messageSample);
  });
});

/** A ROI's Y sum, 16-bin histogram and U/V sums, from the frame formulas (no frame buffer). */
function directRoi(roi: Roi, f: number) {
  const bx = (16 * f) % (WIDTH - 240);
  const by = (8 * f) % (HEIGHT - 240);
  const hist = new Array<number>(BINS).fill(0);
  let ySum = 0;
  for (let r = roi.y; r < roi.y + roi.height; r++) {
    for (let c = roi.x; c < roi.x + roi.width; c++) {
      const inBox = r >= by && r < by + 240 && c >= bx && c < bx + 240;
      const value = inBox ? 235 : (c + ((3 * r + 5 * f) & 255)) & 255;
      ySum += value;
      hist[value >> 4]++;
    }
  }
  let uSum = 0;
  let vSum = 0;
  for (let r = roi.y / 2; r < (roi.y + roi.height) / 2; r++) {
    for (let c = roi.x / 2; c < (roi.x + roi.width) / 2; c++) {
      uSum += (2 * (c + ((r + 2 * f) & 255))) & 255;
      vSum += (3 * (c + ((r + 7 * f) & 255))) & 255;
    }
  }
  return { ySum, hist, uSum, vSum };
}

describe('the tour outside the package', () => {
  test('finds its Python script from the built tour', async () => {
    const outcome = await runPython({ scenario: 'sightseeing', runtime: 'cpython', params: {} });
    assert.equal(outcome.ok, false);
    // The script answers when an interpreter runs; otherwise the interpreter is the reason.
    const reason = outcome.ok ? '' : outcome.reason;
    assert.match(reason, /^no Python side for 'sightseeing'$|^\S+: spawn |^\S+ failed: /);
  });

  test('its command line maps the options onto runTour', async () => {
    const out: string[] = [];
    const reportDir = join(dir, 'cli');
    const status = await main(
      ['slice', '--quick', '--json', '--no-python', '--report-dir', reportDir],
      {
        out: (text) => out.push(text),
        errorLine: () => {},
      },
    );
    assert.equal(status, 0);
    const rows = JSON.parse(out.join('')) as { scenario: string; python: { note?: string } }[];
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.equal(row.scenario, 'slice');
      assert.match(row.python.note ?? '', /not run/);
    }
    await access(join(reportDir, 'tour.md'));
  });

  test('--help and -h print the help', async () => {
    for (const flag of ['--help', '-h']) {
      const out: string[] = [];
      assert.equal(
        await main(['slice', flag], { out: (t) => out.push(t), errorLine: () => {} }),
        0,
      );
      assert.equal(out.join(''), HELP);
    }
    assert.match(HELP, /^Usage: npm start -- \[SCENARIO \.\.\.\] \[options\]\n/);
  });

  const mistakes: [string[], string][] = [
    [['--bogus'], "unknown option '--bogus'"],
    [['-x'], "unknown option '-x'"],
    [
      ['slice', 'sightseeing'],
      "unknown scenario 'sightseeing' (scenarios: slice, parser, pipeline, video, threads, io)",
    ],
    [['--report-dir'], "option '--report-dir' needs a value"],
    [['--json=yes'], "option '--json' takes no value"],
  ];
  for (const [args, message] of mistakes) {
    test(`usage error: ${args.join(' ')}`, async () => {
      const out: string[] = [];
      const errors: string[] = [];
      const status = await main(args, {
        out: (t) => out.push(t),
        errorLine: (l) => errors.push(l),
      });
      assert.equal(status, 2);
      assert.deepEqual(errors, [`tour: error: ${message} (see 'npm start -- --help')`]);
      assert.deepEqual(out, []);
    });
  }
});
