package org.anomalyj.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One product type of a data set: good training images and labelled test samples. A plain folder
 * of images is a category with only training images.
 */
public final class Category {
    private final String name;
    private final Path root;
    private final List<Path> trainGood;
    private final List<Sample> test;

    /** The lists are copied; the accessors return unmodifiable views. */
    public Category(String name, Path root, List<Path> trainGood, List<Sample> test) {
        this.name = Objects.requireNonNull(name, "name");
        this.root = Objects.requireNonNull(root, "root");
        this.trainGood = Collections.unmodifiableList(new ArrayList<>(trainGood));
        this.test = Collections.unmodifiableList(new ArrayList<>(test));
    }

    /** The category's folder name (for a plain folder: that folder's name). */
    public String name() {
        return name;
    }

    /** The category's folder. */
    public Path root() {
        return root;
    }

    /** Normal training images ({@code train/good}), sorted by file name. */
    public List<Path> trainGood() {
        return trainGood;
    }

    /** Test samples sorted by defect type, then file name; empty for a plain folder. */
    public List<Sample> test() {
        return test;
    }

    /** True when at least one anomalous test sample has a ground-truth mask (pixel metrics possible). */
    public boolean hasPixelMasks() {
        for (Sample s : test) {
            if (s.anomalous() && s.mask() != null) {
                return true;
            }
        }
        return false;
    }

    /** Number of anomalous test samples. */
    public int anomalousCount() {
        int n = 0;
        for (Sample s : test) {
            if (s.anomalous()) {
                n++;
            }
        }
        return n;
    }

    /**
     * This category with at most {@code max} test samples: a seeded random subset that keeps the
     * share of good and anomalous samples (each group rounded, at least one of each that exists),
     * in the original order. The category itself when it has no more than {@code max}.
     */
    public Category withTestSubset(int max, long seed) {
        if (max <= 0 || test.size() <= max) {
            return this;
        }
        List<Sample> good = new ArrayList<>();
        List<Sample> bad = new ArrayList<>();
        for (Sample s : test) {
            (s.anomalous() ? bad : good).add(s);
        }
        int keepBad = bad.isEmpty() ? 0 : Math.max(1, (int) Math.round((double) max * bad.size() / test.size()));
        int keepGood = Math.min(good.size(), max - keepBad);
        java.util.Random random = new java.util.Random(seed);
        Collections.shuffle(good, random);
        Collections.shuffle(bad, random);
        java.util.Set<Sample> kept = new java.util.HashSet<>(good.subList(0, keepGood));
        kept.addAll(bad.subList(0, Math.min(keepBad, bad.size())));
        List<Sample> ordered = new ArrayList<>();
        for (Sample s : test) {
            if (kept.contains(s)) {
                ordered.add(s);
            }
        }
        return new Category(name, root, trainGood, ordered);
    }

    @Override
    public String toString() {
        return "Category[" + name + ": " + trainGood.size() + " train, " + test.size() + " test ("
                + anomalousCount() + " anomalous)]";
    }
}
