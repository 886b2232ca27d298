package io.bayeuxd.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MatchSetTest {

    @Test
    void keepsInsertionOrderAndDropsTheSameObject() {
        MatchSet<Object> set = new MatchSet<>();
        Object[] objects = new Object[100];
        for (int i = 0; i < objects.length; i++) {
            objects[i] = new Object();
        }
        for (int round = 0; round < 3; round++) {
            for (Object o : objects) {
                assertThat(set.add(o)).isEqualTo(round == 0);
            }
        }
        assertThat(set.size()).isEqualTo(100);
        for (int i = 0; i < objects.length; i++) {
            assertThat(set.get(i)).isSameAs(objects[i]);
        }
    }

    @Test
    void equalButDistinctObjectsAreDistinctMembers() {
        MatchSet<String> set = new MatchSet<>();
        assertThat(set.add(new String("x"))).isTrue();
        assertThat(set.add(new String("x"))).isTrue();
        assertThat(set.size()).isEqualTo(2);
    }

    @Test
    void clearForgetsEveryMemberAtEverySize() {
        MatchSet<Object> set = new MatchSet<>(0);
        // Sizes around the switch from scanning to hashing, and around table growth.
        int[] sizes = {0, 1, 7, 8, 9, 15, 16, 17, 33, 200, 3, 9, 8, 500, 1};
        for (int size : sizes) {
            Object[] objects = new Object[size];
            for (int i = 0; i < size; i++) {
                objects[i] = new Object();
                assertThat(set.add(objects[i])).isTrue();
            }
            for (int i = 0; i < size; i++) {
                assertThat(set.add(objects[i])).isFalse();
            }
            assertThat(set.size()).isEqualTo(size);
            set.clear();
            assertThat(set.isEmpty()).isTrue();
            // After a clear the same objects are new again: nothing stale is left in the table.
            for (int i = 0; i < size; i++) {
                assertThat(set.add(objects[i])).isTrue();
            }
            set.clear();
        }
    }

    @Test
    void aDuplicateAtTheLinearLimitLeavesNoStaleEntryAfterClear() {
        MatchSet<Object> set = new MatchSet<>();
        Object[] objects = new Object[MatchSet.LINEAR_LIMIT];
        for (int i = 0; i < objects.length; i++) {
            objects[i] = new Object();
            set.add(objects[i]);
        }
        // The set is full for scanning, so this lookup switches to hashing and finds a duplicate.
        assertThat(set.add(objects[0])).isFalse();
        set.clear();
        for (int i = 0; i < objects.length; i++) {
            assertThat(set.add(objects[i])).isTrue();
        }
        assertThat(set.add(new Object())).isTrue();
        assertThat(set.size()).isEqualTo(objects.length + 1);
    }

    @Test
    void getChecksTheIndex() {
        MatchSet<Object> set = new MatchSet<>();
        set.add("a");
        assertThat(set.get(0)).isEqualTo("a");
        assertThatThrownBy(() -> set.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> set.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        set.clear();
        assertThatThrownBy(() -> set.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
