package org.anomalyj.export;

/** One backbone output as the head reads it: tensor name and its NCHW shape at the export's input size (batch 1). */
final class LayerTensor {
    final String name;
    final int channels;
    final int height;
    final int width;

    LayerTensor(String name, int channels, int height, int width) {
        this.name = name;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }
}
