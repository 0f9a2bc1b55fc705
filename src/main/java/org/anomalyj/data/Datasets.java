package org.anomalyj.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.anomalyj.AnomalyJException;

/**
 * Finds images in data sets laid out like MVTec AD:
 * <pre>
 * &lt;category&gt;/train/good/*                    normal training images
 * &lt;category&gt;/test/good/*                     normal test images
 * &lt;category&gt;/test/&lt;type&gt;/*                   defective test images of one defect type
 * &lt;category&gt;/ground_truth/&lt;type&gt;/&lt;stem&gt;_mask.png   their masks (optional; also &lt;stem&gt;.*)
 * </pre>
 * and in plain folders of images. Image files have the extensions png, tif, tiff, jpg, jpeg or bmp
 * (any case); hidden files (name starting with ".") and mask files (name ending in
 * {@code _mask.<ext>}) are never listed as images. All lists are sorted by file name so every run
 * sees the same order. Folders reached through symbolic links are followed.
 */
public final class Datasets {
    private static final List<String> IMAGE_EXTENSIONS = Arrays.asList("png", "tif", "tiff", "jpg", "jpeg", "bmp");
    private static final String MASK_SUFFIX = "_mask";

    private Datasets() {
    }

    /**
     * The one category in {@code dir} (a category folder or a plain folder of images); a root
     * holding several categories is refused with a message naming them and how to pick one.
     */
    public static Category openOne(Path dir) {
        List<Category> categories = open(dir);
        if (categories.size() != 1) {
            StringBuilder names = new StringBuilder();
            for (Category c : categories) {
                names.append(names.length() == 0 ? "" : ", ").append(c.name());
            }
            throw new AnomalyJException(dir + " holds " + categories.size() + " categories (" + names
                    + "); choose one category folder, e.g. " + dir.resolve(categories.get(0).name()) + ".");
        }
        return categories.get(0);
    }

    /**
     * Opens {@code dir}, which may be
     * <ul>
     * <li>a category (it has {@code train/good}): one category;</li>
     * <li>a root whose sub-folders (sorted by name) are categories: one per such sub-folder
     *     (sub-folders without {@code train/good} are ignored);</li>
     * <li>a plain folder of images: one category named after the folder, whose training images
     *     are those images, with no test samples.</li>
     * </ul>
     * Defect types without a {@code ground_truth} folder are allowed (their masks are null); a
     * category without {@code test/} has no test samples.
     *
     * @throws AnomalyJException when the folder is missing or not a folder, when a category's
     *     {@code train/good} has no images, or when there are no categories and no images
     */
    public static List<Category> open(Path dir) {
        requireFolder(dir, "Data set folder");
        if (isCategory(dir)) {
            return Collections.singletonList(openCategory(dir));
        }
        List<Path> subFolders = subFolders(dir);
        List<Category> categories = new ArrayList<>();
        for (Path sub : subFolders) {
            if (isCategory(sub)) {
                categories.add(openCategory(sub));
            }
        }
        if (!categories.isEmpty()) {
            return Collections.unmodifiableList(categories);
        }
        List<Path> images = listImages(dir);
        if (!images.isEmpty()) {
            return Collections.singletonList(
                    new Category(folderName(dir), dir, images, Collections.<Sample>emptyList()));
        }
        if (subFolders.isEmpty()) {
            throw new AnomalyJException("Folder " + dir + " contains no images (" + String.join(", ", IMAGE_EXTENSIONS)
                    + "); put the good images in it, or give a data set with <category>/train/good.");
        }
        throw new AnomalyJException("Folder " + dir + " contains no images and none of its sub-folders ("
                + names(subFolders) + ") is a category with train/good; give a folder of images or an"
                + " MVTec-layout data set (<category>/train/good, <category>/test/<type>).");
    }

    /**
     * The categories of a root folder for unified (multi-class) training: every sub-folder (or
     * symbolic link to one) that is an MVTec-layout category, sorted by name. Stricter than
     * {@link #open}: a sub-folder that looks like a category ({@code train/} or {@code test/})
     * but has no {@code train/good} is refused rather than skipped, so no product type is left out
     * silently.
     *
     * @throws AnomalyJException when {@code root} is itself a category or a plain folder of
     *     images, holds no category, or holds a category without good training images
     */
    public static List<Category> openRoot(Path root) {
        requireFolder(root, "Data set root");
        if (isCategory(root)) {
            Path parent = root.toAbsolutePath().normalize().getParent();
            throw new AnomalyJException(root + " is one category (it has train/good); unified training needs the"
                    + " folder that holds the categories" + (parent == null ? "" : ", e.g. " + parent)
                    + ", or drop --unified to train on this category alone.");
        }
        List<Category> categories = new ArrayList<>();
        for (Path sub : subFolders(root)) {
            if (isCategory(sub)) {
                categories.add(openCategory(sub));
            } else if (Files.isDirectory(sub.resolve("train")) || Files.isDirectory(sub.resolve("test"))) {
                throw new AnomalyJException("Category " + sub + " has no train/good folder; put its good (normal)"
                        + " training images in " + sub.resolve("train").resolve("good")
                        + ", or move the folder out of " + root + ".");
            }
        }
        if (categories.isEmpty()) {
            throw new AnomalyJException("Folder " + root + " holds no categories; unified training needs a root whose"
                    + " sub-folders (or symbolic links) are MVTec-layout categories with <category>/train/good.");
        }
        return Collections.unmodifiableList(categories);
    }

    /**
     * The image files directly in {@code folder} (not in sub-folders), sorted by file name; empty
     * when there are none.
     *
     * @throws AnomalyJException when the folder does not exist, is not a folder or cannot be read
     */
    public static List<Path> listImages(Path folder) {
        requireFolder(folder, "Image folder");
        List<Path> images = new ArrayList<>();
        for (Path p : entries(folder)) {
            if (isImageFile(p)) {
                images.add(p);
            }
        }
        return Collections.unmodifiableList(images);
    }

    /**
     * True for a regular, non-hidden file with an image extension that is not a mask file
     * ({@code *_mask.<ext>}).
     */
    public static boolean isImageFile(Path file) {
        String name = fileName(file);
        if (isHidden(file) || !hasImageExtension(name) || stem(name).endsWith(MASK_SUFFIX)) {
            return false;
        }
        return Files.isRegularFile(file);
    }

    /** True when {@code dir} has a {@code train/good} folder. */
    public static boolean isCategory(Path dir) {
        return Files.isDirectory(dir.resolve("train").resolve("good"));
    }

    // --- categories -----------------------------------------------------------------------------

    private static Category openCategory(Path dir) {
        Path trainDir = dir.resolve("train").resolve("good");
        List<Path> train = listImages(trainDir);
        if (train.isEmpty()) {
            throw new AnomalyJException("Category " + dir + " has no images in " + trainDir
                    + "; put its good (normal) training images there.");
        }
        List<Sample> test = new ArrayList<>();
        Path testDir = dir.resolve("test");
        if (Files.isDirectory(testDir)) {
            for (Path typeDir : subFolders(testDir)) {
                String type = folderName(typeDir);
                Map<String, List<Path>> masks = Sample.GOOD.equals(type)
                        ? Collections.<String, List<Path>>emptyMap()
                        : masksByStem(dir.resolve("ground_truth").resolve(type));
                for (Path image : listImages(typeDir)) {
                    test.add(new Sample(image, type, findMask(image, masks)));
                }
            }
        }
        return new Category(folderName(dir), dir, train, test);
    }

    /** Image-extension files of a ground-truth folder grouped by stem (name without extension). */
    private static Map<String, List<Path>> masksByStem(Path gtDir) {
        if (!Files.isDirectory(gtDir)) {
            return Collections.emptyMap();
        }
        Map<String, List<Path>> byStem = new HashMap<>();
        for (Path p : entries(gtDir)) {
            String name = fileName(p);
            if (!isHidden(p) && hasImageExtension(name) && Files.isRegularFile(p)) {
                byStem.computeIfAbsent(stem(name), k -> new ArrayList<>()).add(p);
            }
        }
        return byStem;
    }

    /**
     * The mask of {@code image}: {@code <stem>_mask.*}, else {@code <stem>.*}; when several
     * extensions exist, the image's own extension wins, then png, then the first by name.
     */
    private static Path findMask(Path image, Map<String, List<Path>> masks) {
        if (masks.isEmpty()) {
            return null;
        }
        String name = fileName(image);
        String stem = stem(name);
        List<Path> candidates = masks.get(stem + MASK_SUFFIX);
        if (candidates == null) {
            candidates = masks.get(stem);
        }
        if (candidates == null) {
            return null;
        }
        String ext = extension(name);
        for (String preferred : new String[] {ext, "png"}) {
            for (Path c : candidates) {
                if (extension(fileName(c)).equals(preferred)) {
                    return c;
                }
            }
        }
        return candidates.get(0); // entries are sorted, so this is deterministic
    }

    // --- file system helpers --------------------------------------------------------------------

    private static void requireFolder(Path dir, String what) {
        if (!Files.exists(dir)) {
            throw new AnomalyJException(what + " " + dir + " does not exist; check the path.");
        }
        if (!Files.isDirectory(dir)) {
            throw new AnomalyJException(what + " " + dir + " is not a folder; give the folder that holds the images.");
        }
    }

    /** Entries of a folder sorted by file name (the same order on every file system). */
    private static List<Path> entries(Path dir) {
        List<Path> list = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                list.add(p);
            }
        } catch (IOException e) {
            throw new AnomalyJException("Cannot read folder " + dir + " (" + e.getMessage()
                    + "); check that it exists and is readable.", e);
        }
        list.sort((a, b) -> fileName(a).compareTo(fileName(b)));
        return list;
    }

    /** Non-hidden sub-folders (symbolic links to folders included), sorted by name. */
    private static List<Path> subFolders(Path dir) {
        List<Path> list = new ArrayList<>();
        for (Path p : entries(dir)) {
            if (!isHidden(p) && Files.isDirectory(p)) {
                list.add(p);
            }
        }
        return list;
    }

    private static boolean isHidden(Path p) {
        return fileName(p).startsWith(".");
    }

    private static boolean hasImageExtension(String name) {
        return IMAGE_EXTENSIONS.contains(extension(name));
    }

    /** Lower-case extension without the dot; "" when there is none. */
    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }

    private static String fileName(Path p) {
        Path f = p.getFileName();
        return f == null ? p.toString() : f.toString();
    }

    /** The folder's own name, also for paths like "." or "data/". */
    private static String folderName(Path dir) {
        Path f = dir.toAbsolutePath().normalize().getFileName();
        return f == null ? dir.toString() : f.toString();
    }

    private static String names(List<Path> paths) {
        List<String> names = new ArrayList<>();
        for (Path p : paths) {
            names.add(fileName(p));
            if (names.size() == 5 && paths.size() > 5) {
                names.add("...");
                break;
            }
        }
        return String.join(", ", names);
    }
}
