package org.anomalyj.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class PercentilesTest {
    @Test
    public void interpolatesBetweenRanksLikeNumpy() {
        // numpy.percentile([4, 1, 3, 2, 10], [50, 95]) = [3.0, 8.8]
        Percentiles p = new Percentiles(new double[] {4, 1, 3, 2, 10});
        assertEquals(3.0, p.median(), 1e-12);
        assertEquals(8.8, p.p95(), 1e-12);
        assertEquals(4.0, p.mean(), 1e-12);
        // even count: median halfway between the middle two
        assertEquals(2.5, new Percentiles(new double[] {1, 2, 3, 4}).median(), 1e-12);
        assertEquals(7.0, new Percentiles(new double[] {7}).p95(), 1e-12);
        assertTrue(Double.isNaN(new Percentiles(new double[0]).median()));
    }
}
