package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.usblogd.api.store.Micros;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;

class CsvRowsTest {

    /** What the export printed before it wrote bytes itself, and what a reader of the CSV relies on. */
    private static String expected(StoredSample s) {
        return Micros.toInstant(s.timeMicros()) + "," + ExportCommand.csvField(s.device()) + ","
                + ExportCommand.csvField(s.channel()) + "," + s.value() + "," + ExportCommand.csvField(s.unit()) + "\n";
    }

    @Test
    void rowsReadExactlyAsTheInstantTheQuotedFieldsAndJavasDoublesPrintThem() throws Exception {
        Random r = new Random(7);
        long[] times = { 0, 1, -1, 999_999, 1_000_000, 1_764_547_200_000_000L, 1_764_547_200_123_000L,
            1_764_547_200_123_456L, 1_764_547_200_000_001L, -62_135_596_800_000_000L, 253_402_300_799_999_999L,
            253_402_300_800_000_000L, Long.MAX_VALUE / 2, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE };
        double[] values = { 0.0, -0.0, 21.41, -273.15, 1e-300, 1e300, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 123456789.125, 3 };
        String[] texts = { "co2", "°C", "a,b", "say \"hi\"", "line\nbreak", "", null, "Außentemperatur" };
        StringBuilder want = new StringBuilder();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        CsvRows rows = new CsvRows(got);
        long t = 1_764_547_200_000_000L;
        long[] runTimes = new long[40];
        double[] runValues = new double[40];
        for (int i = 0; i < 200_000;) {
            // a run of one channel's samples, somewhere in the store's arrays
            String device = texts[r.nextInt(texts.length)];
            String channel = texts[r.nextInt(texts.length)];
            String unit = texts[r.nextInt(texts.length)];
            int from = r.nextInt(10);
            int to = from + 1 + r.nextInt(i < times.length ? 1 : 30);
            for (int k = from; k < to; k++, i++) {
                runTimes[k] = i < times.length ? times[i]
                        : (t += r.nextInt(3) == 0 ? r.nextInt(2_000_000) : r.nextInt(1_000));
                runValues[k] = i < values.length ? values[i] : r.nextInt(4) == 0 ? values[r.nextInt(values.length)]
                        : Math.round(r.nextGaussian() * 10_000) / 100.0;
                want.append(expected(new StoredSample(runTimes[k], device, channel, runValues[k], unit)));
            }
            rows.samples(device, channel, unit, runTimes, runValues, from, to);
        }
        rows.flush();
        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo(want.toString());
    }

    @Test
    void summaryRowsCarryMinMaxMeanAndCountInThatOrder() throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        CsvRows rows = new CsvRows(got);
        rows.header("time,device,channel,min,max,mean,count,unit\n");
        rows.summary(new StoredSummary(1_764_547_260_000_000L, "04d9:a052@v1-1", "co2", 400, 1200.5, 612.25, 60, "ppm"));
        rows.flush();
        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("time,device,channel,min,max,mean,count,unit\n"
                + "2025-12-01T00:01:00Z,04d9:a052@v1-1,co2,400.0,1200.5,612.25,60,ppm\n");
    }
}
