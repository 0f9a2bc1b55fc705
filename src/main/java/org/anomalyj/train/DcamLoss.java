package org.anomalyj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import org.anomalyj.model.stfpm.DcamConfig;

/**
 * DCAM's training loss, per matched layer, summed over layers:
 * {@code cosineWeight * CD + klWeight * KD}, where
 * <ul>
 * <li>CD, the channel-wise cosine distance: {@code 1 - cos(t, s)} of the channel vectors at every
 * position, averaged over positions, summed over the batch. It is exactly STFPM's loss
 * ({@link StfpmLoss#layer}), and exactly the per-position distance the anomaly map measures at
 * inference, which is why a student trained with it needs no attention to be useful;</li>
 * <li>KD, the spatial KL divergence: per image and channel, teacher and student activations are
 * turned into distributions over the positions ({@code softmax(x / T)}), and
 * {@code T^2 KL(p_teacher || p_student)} is taken; channels are averaged with the attention's
 * weights (mean 1 over channels, {@link ChannelAttention#weights}) and images summed.</li>
 * </ul>
 * Both terms sum over the batch as STFPM's loss does, so the step per image does not depend on the
 * batch size.
 */
public final class DcamLoss {
    private DcamLoss() {
    }

    /**
     * {@code T^2 * sum_p q_t(p) (log q_t(p) - log q_s(p))} with {@code q = softmax over positions of x / T},
     * per image and channel: shape {@code [N, C]} from feature maps {@code [N, C, H, W]}.
     */
    public static NDArray spatialKl(NDArray teacher, NDArray student, float temperature) {
        long n = teacher.getShape().get(0);
        long c = teacher.getShape().get(1);
        NDArray t = teacher.reshape(n, c, -1).div(temperature);
        NDArray s = student.reshape(n, c, -1).div(temperature);
        NDArray logT = t.logSoftmax(2);
        NDArray logS = s.logSoftmax(2);
        return logT.exp().mul(logT.sub(logS)).sum(new int[] {2}).mul(temperature * temperature);
    }

    /**
     * The batch's loss (a scalar).
     *
     * @param weights per layer the channel weights {@code [N, C]} (mean 1 over channels); null = all 1
     */
    public static NDArray loss(NDList teacher, NDList student, List<NDArray> weights, DcamConfig config) {
        NDArray total = null;
        for (int l = 0; l < teacher.size(); l++) {
            NDArray t = teacher.get(l);
            NDArray s = student.get(l);
            NDArray kl = spatialKl(t, s, config.temperature);
            if (weights != null) {
                kl = kl.mul(weights.get(l));
            }
            long channels = t.getShape().get(1);
            NDArray layer = StfpmLoss.layer(t, s).mul(config.cosineWeight)
                    .add(kl.sum().mul(config.klWeight / channels));
            total = total == null ? layer : total.add(layer);
        }
        return total;
    }
}
