package org.anomalyj.model.patchcore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.model.ModelFitter;
import org.anomalyj.model.PatchEmbedding;

/**
 * Fits PatchCore with one greedy coreset over the patches of many images (e.g. of every category
 * of a root), like {@link PatchCoreFitter} and with the same selection, but keeps the
 * full-dimensional embeddings in a temporary file instead of on the heap: the union of several
 * data sets easily exceeds the heap (Magnetic Tile + KolektorSDD at 256 px with ResNet50v2
 * stage2+3: a million patches x 1536 floats = 6.2 GB). Only the projection used by the selection
 * ({@code N x 64} or {@code x 128} floats) and the selected rows are held. Close it to delete the
 * file. Not thread-safe.
 */
public final class UnionCoresetFitter implements ModelFitter, AutoCloseable {
    /** Images read back and projected together (projection runs in parallel over them). */
    private static final int READ_BATCH = 16;

    private final PatchCoreConfig config;
    private final PatchEmbedder embedder;
    private final Path file;
    private final FileChannel channel;
    private final List<Integer> rowsPerImage = new ArrayList<>();
    private int dim;
    private long patches;
    private ByteBuffer buffer = ByteBuffer.allocate(0);

    public UnionCoresetFitter(PatchCoreConfig config) {
        this.config = config;
        this.embedder = new PatchEmbedder(config);
        try {
            this.file = Files.createTempFile("anomalyj-patches", ".f32");
            this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            throw new AnomalyJException("Cannot create a temporary file for the training patches (" + e.getMessage()
                    + "); free disk space in " + System.getProperty("java.io.tmpdir") + " or set -Djava.io.tmpdir.", e);
        }
    }

    @Override
    public void add(List<FeatureMap> features) {
        PatchEmbedding e = embedder.embed(features);
        dim = e.dim();
        float[] data = e.data();
        ByteBuffer b = buffer(data.length);
        b.asFloatBuffer().put(data);
        try {
            while (b.hasRemaining()) {
                channel.write(b, patches * dim * 4L + b.position());
            }
        } catch (IOException ex) {
            throw spillError(ex);
        }
        rowsPerImage.add(e.positions());
        patches += e.positions();
    }

    @Override
    public int count() {
        return rowsPerImage.size();
    }

    @Override
    public PatchCoreModel fit(Progress progress) {
        if (rowsPerImage.isEmpty()) {
            throw new AnomalyJException("PatchCore got no training images; add at least one normal image.");
        }
        int projectionDim = config.projectionDimFor(patches);
        if (patches * projectionDim > Integer.MAX_VALUE) {
            throw new AnomalyJException("PatchCore has " + patches + " training patches, too many to project at once;"
                    + " use fewer or smaller training images, a lower projection_dim, or --unified-coreset per-category.");
        }
        int n = (int) patches;
        int size = GreedyCoreset.coresetSize(n, config.coresetRatio());
        Random random = new Random(config.seed());
        float[][] matrix = GreedyCoreset.projectionMatrix(dim, projectionDim, random);
        float[] projected = new float[n * projectionDim];
        long row = 0;
        for (int i = 0; i < rowsPerImage.size(); i += READ_BATCH) {
            progress.checkCancelled();
            progress.update("projection", i, rowsPerImage.size());
            List<float[]> batch = new ArrayList<>();
            long first = row;
            for (int j = i; j < Math.min(i + READ_BATCH, rowsPerImage.size()); j++) {
                batch.add(readRows(row, rowsPerImage.get(j)));
                row += rowsPerImage.get(j);
            }
            float[] p = GreedyCoreset.project(batch, dim, matrix, projectionDim);
            System.arraycopy(p, 0, projected, (int) (first * projectionDim), p.length);
        }
        progress.update("projection", 1, 1);
        int[] selected = GreedyCoreset.select(projected, n, projectionDim, size, random.nextInt(n), progress);
        projected = null;
        float[] bank = new float[Math.multiplyExact(size, dim)];
        for (int s = 0; s < size; s++) {
            System.arraycopy(readRows(selected[s], 1), 0, bank, s * dim, dim);
        }
        progress.update("memory bank neighbours", 0, 1);
        MemoryBank memory = new MemoryBank(bank, size, dim, config.numNeighbours(), null);
        progress.update("memory bank neighbours", 1, 1);
        return new PatchCoreModel(config.withProjectionDim(projectionDim), embedder.aggregator(), embedder.layers(), memory, patches);
    }

    /** {@code count} embeddings starting at global patch {@code first}, read from the file. */
    private float[] readRows(long first, int count) {
        float[] out = new float[count * dim];
        ByteBuffer b = buffer(out.length);
        try {
            long at = first * dim * 4L;
            while (b.hasRemaining()) {
                if (channel.read(b, at + b.position()) < 0) {
                    throw new IOException("unexpected end of file");
                }
            }
        } catch (IOException e) {
            throw spillError(e);
        }
        b.flip();
        b.asFloatBuffer().get(out);
        return out;
    }

    private ByteBuffer buffer(int floats) {
        if (buffer.capacity() < floats * 4) {
            buffer = ByteBuffer.allocate(floats * 4).order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        buffer.limit(floats * 4);
        return buffer;
    }

    private AnomalyJException spillError(IOException e) {
        return new AnomalyJException("Cannot use the temporary file " + file + " for the training patches ("
                + e.getMessage() + "); free disk space there or set -Djava.io.tmpdir to a larger disk.", e);
    }

    /** Deletes the temporary file. */
    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the file is deleted on close; a failure here leaves only a temp file behind
        }
    }
}
